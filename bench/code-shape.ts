/**
 * The shape of src/: the longest functions and classes, modules per folder and import cycles.
 * Run with `npx tsx bench/code-shape.ts [--top N] [--json]`; it reads the code as TypeScript and
 * runs none of it. test/architecture.test.ts uses `readCode` and `cycles` to keep src/ free of cycles.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** A function or class and how many lines it spans. */
export interface Span {
  name: string;
  file: string;
  lines: number;
  kind: "function" | "class";
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) {
    return node.name.getText(sf);
  }
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(sf);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(sf);
  return "(anonymous)";
}

/** Reads one file: its functions and classes, and the relative modules it imports. */
function readFile(root: string, file: string): { spans: Span[]; deps: string[] } {
  const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const rel = relative(root, file);
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line;
  const spans: Span[] = [];
  const deps: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      const spec = node.moduleSpecifier;
      if (spec && ts.isStringLiteral(spec) && spec.text.startsWith(".")) {
        deps.push(relative(root, resolve(dirname(file), spec.text.replace(/\.js$/, ".ts"))));
      }
    }
    const isFn = ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) || ts.isConstructorDeclaration(node);
    const isClass = ts.isClassDeclaration(node) || ts.isClassExpression(node);
    if (isFn || isClass) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(sf)) + 1;
      spans.push({ name: nameOf(node, sf), file: rel, lines, kind: isClass ? "class" : "function" });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { spans, deps };
}

/** The functions and classes of `root`/src with their lengths, and each module's imports of other modules. */
export function readCode(root: string): { spans: Span[]; imports: Map<string, string[]> } {
  const all = files(join(root, "src"));
  const known = new Set(all.map((f) => relative(root, f)));
  const spans: Span[] = [];
  const imports = new Map<string, string[]>();
  for (const file of all) {
    const read = readFile(root, file);
    spans.push(...read.spans);
    imports.set(relative(root, file), read.deps.filter((d) => known.has(d)));
  }
  return { spans, imports };
}

/** Every import cycle found by a depth-first walk (each as the modules around it). */
export function cycles(imports: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const dfs = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of imports.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) dfs(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of imports.keys()) if (!state.has(node)) dfs(node);
  return found;
}

function main(): void {
  const args = process.argv.slice(2);
  const top = Number(args[args.indexOf("--top") + 1]) || 10;
  const { spans, imports } = readCode(resolve(import.meta.dirname, ".."));
  const perFolder = new Map<string, number>();
  for (const file of imports.keys()) perFolder.set(dirname(file), (perFolder.get(dirname(file)) ?? 0) + 1);
  const longest = (kind: Span["kind"]): Span[] => spans.filter((s) => s.kind === kind).sort((a, b) => b.lines - a.lines).slice(0, top);
  const report = {
    modules: imports.size,
    perFolder: Object.fromEntries([...perFolder].sort()),
    cycles: cycles(imports),
    longestFunctions: longest("function"),
    longestClasses: longest("class"),
    functionsOver80Lines: spans.filter((s) => s.kind === "function" && s.lines > 80).length,
  };
  if (args.includes("--json")) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`modules: ${report.modules}; import cycles: ${report.cycles.length}; functions over 80 lines: ${report.functionsOver80Lines}`);
  for (const [folder, n] of Object.entries(report.perFolder)) console.log(`  ${folder}: ${n}`);
  for (const c of report.cycles) console.log(`  cycle: ${c.join(" -> ")}`);
  console.log("longest functions:");
  for (const s of report.longestFunctions) console.log(`  ${s.lines}\t${s.file}\t${s.name}`);
  console.log("longest classes:");
  for (const s of report.longestClasses) console.log(`  ${s.lines}\t${s.file}\t${s.name}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
