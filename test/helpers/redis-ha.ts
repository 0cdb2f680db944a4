/**
 * Throwaway highly-available Redis topologies for the HA suites, on free random ports, started and
 * stopped by the tests themselves (so `npm test` works on a developer's machine as on CI):
 *  - a Redis Cluster of six `redis-server --cluster-enabled yes` (three masters, three replicas),
 *    joined with `redis-cli --cluster create`;
 *  - one master, one replica and three sentinels (`redis-server <file> --sentinel`) watching it under
 *    the name `dalil`, with a short `down-after-milliseconds` so a failover takes a few seconds.
 * Every process is killed by `stop()`, and at the latest when the test process exits.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IN_CI } from './redis.js';
import net from 'node:net';
import { freePort, rawPing } from './redis-server.js';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Whether `redis-server` and `redis-cli` can be run (both are needed for a cluster). */
export function haSuite(): boolean {
  const ok = ['redis-server', 'redis-cli'].every((bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0);
  if (ok) return true;
  if (IN_CI) throw new Error('REDIS HA SUITE FAILED: redis-server or redis-cli missing and CI=true (run .ci/redis.sh first)');
  console.warn('REDIS HA SUITE SKIPPED: redis-server or redis-cli missing (apt-get install -y redis-server redis-tools)');
  return false;
}

/** One redis-server process. */
export interface NodeHandle {
  readonly port: number;
  kill(): Promise<void>;
  alive(): boolean;
}

async function waitForPing(port: number, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await rawPing(port)) return;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not answer on port ${port}`);
}

async function spawnNode(args: string[], port: number, what: string): Promise<NodeHandle> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  live.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  await waitForPing(port, child, what);
  return {
    port,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Distinct free ports (freePort alone could return the same one twice). */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

const NODE_ARGS = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];

/** A running Redis Cluster. */
export interface ClusterHandle {
  readonly nodes: Array<{ host: string; port: number }>;
  stop(): Promise<void>;
}

/** Starts six cluster-mode servers and joins them (three masters with a replica each). */
export async function startRedisCluster(): Promise<ClusterHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dalil-cluster-'));
  const ports = await freePorts(6);
  const handles: NodeHandle[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(handles.map((h) => h.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < ports.length; i++) {
      // A cluster node also listens on port + 10000 (the cluster bus): both must be free, and another
      // suite may take either between the check and the start, so a node that does not come up is retried on new ports.
      for (let attempt = 1; ; attempt++) {
        let port = ports[i]!;
        while (ports.indexOf(port) !== i || !(await portFree(port + 10_000))) port = await freePort();
        ports[i] = port;
        const args = ['--port', String(port), ...NODE_ARGS, '--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000'];
        try {
          handles.push(await spawnNode(args, port, 'cluster node'));
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
          ports[i] = await freePort();
        }
      }
    }
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout.slice(-400)} ${create.stderr.slice(-400)}`);
    await waitForClusterOk(ports[0]!);
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), stop };
}

async function waitForClusterOk(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' });
    if (r.stdout.includes('cluster_state:ok')) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('the Redis Cluster did not reach cluster_state:ok');
}

/** A master, a replica and three sentinels. */
export interface SentinelHandle {
  readonly name: string;
  readonly sentinels: Array<{ host: string; port: number }>;
  readonly master: NodeHandle;
  readonly replica: NodeHandle;
  /** Port of the master as the sentinels see it now (after a failover: the former replica). */
  currentMasterPort(): number | undefined;
  /** The same, without blocking the event loop (for polling while clients run). */
  masterPortNow(): Promise<number | undefined>;
  /** Sentinels' `down-after-milliseconds` plus their `failover-timeout`: the promised failover bound. */
  readonly failoverBudgetMs: number;
  stop(): Promise<void>;
}

export const SENTINEL_DOWN_AFTER_MS = 1000;
const SENTINEL_FAILOVER_TIMEOUT_MS = 3000;

/** Starts a master, its replica and three sentinels watching it under the name `dalil`. */
export async function startRedisSentinel(): Promise<SentinelHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dalil-sentinel-'));
  const [masterPort, replicaPort, ...sentinelPorts] = await freePorts(5);
  const handles: NodeHandle[] = [];
  const name = 'dalil';
  const stop = async (): Promise<void> => {
    await Promise.all(handles.map((h) => h.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const master = await spawnNode(['--port', String(masterPort), ...NODE_ARGS, '--dir', dir, '--dbfilename', 'm.rdb'], masterPort!, 'master');
    handles.push(master);
    const replicaArgs = ['--port', String(replicaPort), ...NODE_ARGS, '--dir', dir, '--dbfilename', 'r.rdb', '--replicaof', '127.0.0.1', String(masterPort)];
    const replica = await spawnNode(replicaArgs, replicaPort!, 'replica');
    handles.push(replica);
    await waitForReplication(masterPort!);
    for (const port of sentinelPorts) {
      const file = path.join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${name} ${SENTINEL_DOWN_AFTER_MS}`,
          `sentinel failover-timeout ${name} ${SENTINEL_FAILOVER_TIMEOUT_MS}`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      handles.push(await spawnNode([file, '--sentinel', '--loglevel', 'warning'], port, 'sentinel'));
    }
    await waitForSentinels(sentinelPorts[0]!, name);
    return {
      name,
      sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
      master,
      replica,
      failoverBudgetMs: SENTINEL_DOWN_AFTER_MS + SENTINEL_FAILOVER_TIMEOUT_MS,
      currentMasterPort() {
        const r = spawnSync('redis-cli', ['-p', String(sentinelPorts[0]), 'sentinel', 'get-master-addr-by-name', name], { encoding: 'utf8' });
        const port = Number(r.stdout.trim().split('\n')[1]);
        return Number.isInteger(port) ? port : undefined;
      },
      masterPortNow: () =>
        new Promise((resolve) => {
          execFile('redis-cli', ['-p', String(sentinelPorts[0]), 'sentinel', 'get-master-addr-by-name', name], { encoding: 'utf8', timeout: 2000 }, (err, stdout) => {
            const port = Number(String(stdout ?? '').trim().split('\n')[1]);
            resolve(!err && Number.isInteger(port) ? port : undefined);
          });
        }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitForReplication(masterPort: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = spawnSync('redis-cli', ['-p', String(masterPort), 'info', 'replication'], { encoding: 'utf8' });
    if (/slave0:.*state=online/.test(r.stdout)) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('the replica did not come online');
}

/** Waits until the sentinels know each other and the replica (a failover needs both). */
async function waitForSentinels(port: number, name: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const r = spawnSync('redis-cli', ['-p', String(port), 'sentinel', 'master', name], { encoding: 'utf8' });
    const lines = r.stdout.trim().split('\n');
    const field = (f: string): number => Number(lines[lines.indexOf(f) + 1]);
    if (field('num-slaves') >= 1 && field('num-other-sentinels') >= 2) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('the sentinels did not discover each other and the replica');
}
