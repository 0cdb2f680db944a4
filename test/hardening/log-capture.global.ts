/**
 * Vitest global setup (vitest.config.ts `globalSetup`): makes a capture folder for this run (so
 * that runs started at the same time never mix), hands it to `log-capture.setup.ts`, and at the
 * end scans every captured log event with `log-scan.ts`. Any phone number, chat id, token or user
 * message text fails the run, with the event and field that carried it.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { collectSensitive, readCaptured, scanEvents } from './log-scan.js';

const TEST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(TEST_DIR, '..');

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder where each test file's tapped log events are appended (empty: no capture). */
    logCaptureDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = path.join(ROOT, 'test-artifacts', 'log-capture', `${Date.now()}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  project.provide('logCaptureDir', dir);
  return () => {
    const files = readdirSync(dir).map((f) => path.join(dir, f));
    const { events, broken } = readCaptured(files);
    if (!process.env.KEEP_LOG_CAPTURE) rmSync(dir, { recursive: true, force: true });
    const findings = scanEvents(events, collectSensitive(TEST_DIR));
    if (broken > 0 || findings.length > 0) {
      // An error thrown by a global teardown is printed but does not change the exit code by itself.
      process.exitCode = 1;
      const lines = findings.slice(0, 50).map((f) => `  ${f.event} .${f.field}: ${f.kind} "${f.sample}"`);
      throw new Error(
        `LOG PRIVACY SCAN FAILED: ${findings.length} log field(s) carry personal data or secrets` +
          (broken > 0 ? `, ${broken} unreadable capture line(s)` : '') +
          `:\n${lines.join('\n')}`,
      );
    }
    process.stdout.write(`log privacy scan: ${events.length} log events checked, nothing personal found\n`);
  };
}
