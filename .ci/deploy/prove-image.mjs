#!/usr/bin/env node
/**
 * Proves the container image's commands without a container engine: reads .ci/deploy/Dockerfile,
 * runs each stage's WORKDIR / ENV / COPY / RUN steps in its own clean temporary folder (COPY from the
 * project, or `--from` an earlier stage's folder; `--chown` and USER are noted, not applied), then
 * starts the runtime stage's CMD with its ENV and a throwaway production configuration, waits until
 * its HEALTHCHECK command passes, sends SIGTERM and expects exit code 0.
 * What it cannot prove: the base image itself (node:20-slim), file ownership and the non-root user.
 * Usage: node .ci/deploy/prove-image.mjs   (from anywhere; about two `npm ci` long)
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOCKERFILE = path.join(ROOT, '.ci', 'deploy', 'Dockerfile');
const say = (line) => process.stdout.write(`prove-image: ${line}\n`);

/** Instructions of the Dockerfile, continuation lines joined, comments dropped. */
function instructions(text) {
  const out = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    current += line;
    const [op, ...rest] = current.split(/\s+/);
    out.push({ op: op.toUpperCase(), args: rest.join(' ') });
    current = '';
  }
  return out;
}

function stages(list) {
  const result = [];
  for (const ins of list) {
    if (ins.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      result.push({ base: m[1], name: m[2] ?? String(result.length), steps: [] });
    } else if (result.length > 0) result.at(-1).steps.push(ins);
  }
  return result;
}

function run(command, cwd, env) {
  say(`  RUN ${command}`);
  const r = spawnSync('bash', ['-c', command], { cwd, env, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`"${command}" failed with exit code ${r.status}`);
}

function copy(args, stageDirs, cwd) {
  const parts = args.split(/\s+/);
  let from;
  const flags = parts.filter((p) => p.startsWith('--'));
  for (const f of flags) if (f.startsWith('--from=')) from = f.slice('--from='.length);
  const paths = parts.filter((p) => !p.startsWith('--'));
  const dest = paths.pop();
  const target = path.resolve(cwd, dest);
  for (const src of paths) {
    // A stage's WORKDIR (/app) is its folder.
    const origin = from ? path.join(stageDirs.get(from), src.replace(/^\/app\/?/, '')) : path.join(ROOT, src);
    const to = dest.endsWith('/') ? path.join(target, path.basename(src)) : target;
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(origin, to, { recursive: true });
  }
  say(`  COPY ${args}${flags.some((f) => f.startsWith('--chown')) ? ' (ownership not applied here)' : ''}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The exec form `["a", "b"]` of CMD / HEALTHCHECK CMD. */
const execForm = (text) => JSON.parse(text.replace(/^.*?CMD\s+/i, '').trim());

async function main() {
  const all = stages(instructions(readFileSync(DOCKERFILE, 'utf8')));
  const base = mkdtempSync(path.join(os.tmpdir(), 'dalil-image-'));
  const stageDirs = new Map();
  let runtime;
  try {
    for (const stage of all) {
      const dir = path.join(base, stage.name);
      mkdirSync(dir);
      stageDirs.set(stage.name, dir);
      say(`stage ${stage.name} (FROM ${stage.base}) in a clean folder`);
      const env = { ...process.env };
      for (const key of ['NODE_ENV', 'PORT', 'HOST']) delete env[key];
      let cmd;
      let health;
      for (const { op, args } of stage.steps) {
        if (op === 'WORKDIR' || op === 'EXPOSE') continue;
        else if (op === 'ENV') {
          const m = /^(\S+?)[= ](.*)$/.exec(args);
          env[m[1]] = m[2];
        } else if (op === 'COPY') copy(args, stageDirs, dir);
        else if (op === 'RUN') run(args.replace(/chown \S+ /g, 'true '), dir, env);
        else if (op === 'USER') say(`  USER ${args} (not applied here)`);
        else if (op === 'CMD') cmd = execForm(args);
        else if (op === 'HEALTHCHECK') health = execForm(args);
        else throw new Error(`prove-image does not know the instruction ${op}`);
      }
      runtime = { dir, env, cmd, health };
    }
    if (!runtime?.cmd || !runtime.health) throw new Error('the last stage needs a CMD and a HEALTHCHECK');
    await start(runtime);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

async function start({ dir, env, cmd, health }) {
  const port = await freePort();
  // A throwaway production configuration: memory state, no channel but the web chat.
  const runEnv = { ...env, PORT: String(port), HOST: '127.0.0.1', HMAC_SECRET: randomBytes(32).toString('base64'), CASE_ENCRYPTION_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' };
  say(`CMD ${cmd.join(' ')} (NODE_ENV=${runEnv.NODE_ENV}, port ${port})`);
  const child = spawn(cmd[0], cmd.slice(1), { cwd: dir, env: runEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const until = Date.now() + 60_000;
  let healthy = false;
  while (Date.now() < until && child.exitCode === null) {
    const r = spawnSync(health[0], health.slice(1), { cwd: dir, env: runEnv, stdio: 'ignore', timeout: 3000 });
    if (r.status === 0) {
      healthy = true;
      break;
    }
    await new Promise((r2) => setTimeout(r2, 500));
  }
  if (!healthy) {
    child.kill('SIGKILL');
    await exited;
    throw new Error('the HEALTHCHECK never passed within 60 s');
  }
  say('HEALTHCHECK passed; sending SIGTERM');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const { code, signal } = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`the server did not stop cleanly on SIGTERM (code ${code}, signal ${signal})`);
  say('stopped with exit code 0: the image commands work');
}

main().catch((err) => {
  process.stderr.write(`prove-image: FAILED: ${err.message}\n`);
  process.exit(1);
});
