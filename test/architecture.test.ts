/**
 * The architecture's promises, checked on the code itself: no import cycles in src/, and the
 * lint rules that keep each folder's imports in their direction (one channel never imports
 * another, the server imports no channel, the engine no channel or store).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { cycles, readCode } from '../bench/code-shape.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('architecture', () => {
  it('src/ has no import cycle', () => {
    const { imports } = readCode(ROOT);
    expect(imports.size).toBeGreaterThan(50);
    expect(cycles(imports)).toEqual([]);
  });

  it.each([
    ['src/channels/web/probe.ts', "import { renderTelegram } from '../telegram/render.js';"],
    ['src/channels/telegram/probe.ts', "import { renderSms } from '../twilio/render.js';"],
    ['src/channels/twilio/probe.ts', "import { renderBotFramework } from '../botframework/render.js';"],
    ['src/server/probe.ts', "import { CAPABILITIES } from '../channels/shared/capabilities.js';"],
    ['src/engine/probe.ts', "import { smsSafe } from '../channels/shared/sms.js';"],
    ['src/engine/probe.ts', "import { createRedisStore } from '../state/redis.js';"],
  ])('lint refuses, in %s: %s', async (filePath, code) => {
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintText(`${code}\nexport const used = [${/\{ (\w+) \}/.exec(code)![1]}];\n`, { filePath: path.join(ROOT, filePath) });
    const messages = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    expect(messages.join('\n')).toMatch(/architecture:/);
  });

  it('lint lets a channel import channels/shared and domain', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const code = "import { CAPABILITIES } from '../shared/capabilities.js';\nimport { LANGS } from '../../domain/index.js';\nexport const used = [CAPABILITIES, LANGS];\n";
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, 'src/channels/web/probe.ts') });
    expect(result!.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });
});
