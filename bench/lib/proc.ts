/**
 * Child processes of the benchmark: starting one and waiting until it answers, stopping it by
 * its own pid, and reading its resident memory and CPU time (with its children) from /proc.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `url` (GET) until it answers 200; resolves the ms waited. Bounded by `timeoutMs`. */
export async function waitForOk(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** A started child process with its log file. */
export interface Child {
  proc: ChildProcess;
  pid: number;
  logFile: string;
  /** Sends SIGTERM and waits (at most 10 s, then SIGKILL). */
  stop(): Promise<void>;
}

/** Spawns `command args` with stdout and stderr appended to `logFile`. */
export function startChild(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; logFile: string; stdin?: 'pipe' | 'ignore' }): Child {
  const fd = openSync(options.logFile, 'a');
  const spawnOptions: SpawnOptions = { cwd: options.cwd, env: options.env, stdio: [options.stdin ?? 'ignore', fd, fd] };
  const proc = spawn(command, args, spawnOptions);
  proc.on('error', () => undefined); // a command that cannot start has no pid (checked below)
  closeSync(fd);
  if (proc.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = proc.pid;
  return {
    proc,
    pid,
    logFile: options.logFile,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Pids of `pid` and all its descendants (from /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as number;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (c) out.push(Number(c));
      } catch {
        // gone
      }
    }
  }
  return out;
}

/** Resident set size of `pid` in bytes (0 if it is gone). */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU time of `pid`, in seconds. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return 0;
  }
}

/** Sum of RSS over a process and its descendants. */
export function treeRss(pid: number): number {
  return processTree(pid).reduce((a, p) => a + rssOf(p), 0);
}

/** Sum of CPU seconds over a process and its descendants. */
export function treeCpu(pid: number): number {
  return processTree(pid).reduce((a, p) => a + cpuSecondsOf(p), 0);
}

/** Samples the tree's RSS every `everyMs` until stopped; resolves the peak and the mean. */
export function sampleRss(pid: number, everyMs = 200): { stop(): { peak: number; mean: number } } {
  let peak = 0;
  let sum = 0;
  let n = 0;
  const timer = setInterval(() => {
    const r = treeRss(pid);
    if (r > peak) peak = r;
    sum += r;
    n++;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { peak, mean: n ? sum / n : 0 };
    },
  };
}
