/**
 * Vitest setup file (vitest.config.ts `setupFiles`): taps every `createLogger` logger of the test
 * file about to run and appends what they received to the run's capture folder, which
 * `log-capture.global.ts` scans for personal data at the end of the run.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { addLogTap } from '../../src/logging/logger.js';

const dir = inject('logCaptureDir');
if (dir) {
  const lines: string[] = [];
  const untap = addLogTap((e) => {
    lines.push(JSON.stringify(e));
  });
  const file = path.join(dir, `${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
  afterAll(() => {
    untap();
    if (lines.length > 0) appendFileSync(file, lines.join('\n') + '\n');
    lines.length = 0;
  });
}
