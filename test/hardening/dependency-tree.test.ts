/**
 * `npm audit` cannot always reach npm's advisory endpoint from CI: `.ci/dependency-tree.sh record`
 * keeps the production dependency tree and lockfile as an artifact and does not fail offline;
 * `audit` on that folder is what runs where the endpoint is reachable.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dalil-deptree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// An advisory endpoint that cannot be reached: a closed port on loopback.
const offline = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', AUDIT_TIMEOUT_SECONDS: '10' };

describe('dependency tree for an audit elsewhere', () => {
  it('records the production tree and the lockfile, and passes when the endpoint is unreachable', () => {
    const run = spawnSync('bash', ['.ci/dependency-tree.sh', 'record', dir], { cwd: ROOT, env: offline, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/advisory endpoint unreachable/);
    const tree = readFileSync(path.join(dir, 'tree.txt'), 'utf8');
    for (const dep of ['botbuilder@', 'express@', 'redis@', 'twilio@']) expect(tree).toContain(dep);
    expect(tree).not.toContain('vitest@');
    expect(existsSync(path.join(dir, 'package-lock.json'))).toBe(true);
  }, 60_000);

  it('the audit of a recorded tree says clearly when it cannot reach the endpoint', () => {
    const run = spawnSync('bash', ['.ci/dependency-tree.sh', 'audit', dir], { cwd: ROOT, env: offline, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/unreachable/);
  }, 60_000);
});
