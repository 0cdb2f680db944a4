/**
 * A throwaway `redis-server` for outage tests: started on a random free port (20000-40000), by default
 * without persistence, then stopped (a crash), paused (a stalled server) and started again on the same port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { IN_CI } from './redis.js';

/** Controls one redis-server process on a fixed port. */
export interface RedisServerHandle {
  readonly port: number;
  readonly url: string;
  /** Whether a process is running (possibly paused). */
  running(): boolean;
  /** Starts (again) on the same port and waits until PING answers. */
  start(): Promise<void>;
  /** Kills the process (SIGKILL, like a crash) and waits until it has exited; data is lost unless persisted. */
  stop(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open but nothing answers. */
  pause(): void;
  /** Thaws a paused process (SIGCONT). */
  resume(): void;
}

/** Whether a `redis-server` binary can be run. */
export function hasRedisServerBinary(): boolean {
  const r = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

/**
 * Decides whether a suite that starts its own redis-server runs: without the binary it warns in one
 * loud line and returns false, except on CI, where it throws.
 */
export function redisServerSuite(): boolean {
  if (hasRedisServerBinary()) return true;
  if (IN_CI) throw new Error('REDIS OUTAGE SUITE FAILED: no redis-server binary and CI=true (run .ci/redis.sh first)');
  console.warn('REDIS OUTAGE SUITE SKIPPED: no redis-server binary (apt-get install -y redis-server)');
  return false;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A random port between 20000 and 40000 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port found between 20000 and 40000');
}

/** Sends a raw PING; resolves true on +PONG within `timeoutMs`. */
export function rawPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Starts a redis-server on `port` (default: a free random one) and waits until it answers.
 * With `persist`, every write is fsynced to an append-only file, so data survives `stop()`/`start()`.
 */
export async function startRedisServer(port?: number, options: { persist?: boolean } = {}): Promise<RedisServerHandle> {
  const chosen = port ?? (await freePort());
  const persistence = options.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dalil-redis-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const handle: RedisServerHandle = {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    running: () => child !== undefined,
    async start() {
      if (child) return;
      const proc = spawn(
        'redis-server',
        ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir, '--loglevel', 'warning'],
        { stdio: 'ignore' },
      );
      child = proc;
      live.add(proc);
      exited = new Promise((resolve) =>
        proc.once('exit', () => {
          live.delete(proc);
          if (child === proc) child = undefined;
          resolve();
        }),
      );
      for (let i = 0; i < 100; i++) {
        if (await rawPing(chosen)) return;
        if (!child) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await handle.stop();
      throw new Error(`redis-server did not answer on port ${chosen}`);
    },
    async stop() {
      if (child) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
  };
  await handle.start();
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return handle;
}
