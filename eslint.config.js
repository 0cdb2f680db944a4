// ESLint flat config. Besides typescript-eslint's recommended rules it keeps the import
// directions of the architecture: everything may import domain; the engine never imports
// channels, state, Redis or express; channels never import the engine, and one channel never
// imports another (what they share lives in channels/shared); the server imports only domain.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Forbids imports of the given folders (relative paths) and packages from files of `files`. */
function restrict(files, folders, packages = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...folders.map((f) => ({
              group: [`**/${f}/**`],
              message: `architecture: this folder may not import ${f}/ (see README, Architecture)`,
            })),
            ...packages.map((p) => ({
              group: [p, `${p}/**`],
              message: `architecture: ${p} may only be imported by its channel adapter or main.ts`,
            })),
          ],
        },
      ],
    },
  };
}

const SDKS = ['grammy', 'twilio', 'botbuilder', 'botbuilder-core', 'express', 'redis', '@redis/client'];
/** The channel folders: each may import channels/shared and domain, never another channel. */
const CHANNELS = ['telegram', 'twilio', 'botframework', 'web'];
const otherChannels = (own) => CHANNELS.filter((c) => c !== own);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  restrict(['src/domain/**'], ['config', 'knowledge', 'nlu', 'engine', 'state', 'i18n', 'channels', 'server', 'admin', 'cli'], SDKS),
  restrict(['src/config/**'], ['knowledge', 'nlu', 'engine', 'state', 'i18n', 'channels', 'server', 'admin', 'cli'], SDKS),
  restrict(['src/nlu/**'], ['config', 'knowledge', 'engine', 'state', 'i18n', 'channels', 'server', 'admin', 'cli'], SDKS),
  restrict(['src/knowledge/**'], ['config', 'nlu', 'engine', 'state', 'i18n', 'channels', 'server', 'admin', 'cli'], SDKS),
  restrict(['src/engine/**'], ['config', 'state', 'i18n', 'channels', 'server', 'admin', 'cli'], SDKS),
  restrict(['src/state/**'], ['config', 'knowledge', 'nlu', 'engine', 'i18n', 'channels', 'server', 'admin', 'cli'], ['grammy', 'twilio', 'botbuilder', 'express']),
  restrict(['src/i18n/**'], ['config', 'knowledge', 'nlu', 'engine', 'state', 'channels', 'server', 'admin', 'cli'], SDKS),
  restrict(['src/channels/shared/**'], ['config', 'knowledge', 'nlu', 'engine', 'state', 'i18n', 'server', 'admin', 'cli'], SDKS),
  restrict(['src/channels/telegram/**'], ['config', 'knowledge', 'nlu', 'engine', 'state', 'i18n', 'server', 'admin', 'cli', ...otherChannels('telegram')], ['twilio', 'botbuilder', 'redis']),
  restrict(['src/channels/twilio/**'], ['config', 'knowledge', 'nlu', 'engine', 'state', 'i18n', 'server', 'admin', 'cli', ...otherChannels('twilio')], ['grammy', 'botbuilder', 'redis']),
  restrict(['src/channels/botframework/**'], ['config', 'knowledge', 'nlu', 'engine', 'state', 'i18n', 'server', 'admin', 'cli', ...otherChannels('botframework')], ['grammy', 'twilio', 'redis']),
  restrict(['src/channels/web/**'], ['config', 'knowledge', 'nlu', 'engine', 'state', 'i18n', 'server', 'admin', 'cli', ...otherChannels('web')], ['grammy', 'twilio', 'botbuilder', 'redis']),
  restrict(['src/server/**'], ['config', 'knowledge', 'nlu', 'engine', 'state', 'i18n', 'channels', 'admin', 'cli'], ['grammy', 'twilio', 'botbuilder', 'redis']),
  // The case desk: its store may use state/redis's client; no channel, engine, server or admin.
  restrict(['src/cases/**'], ['config', 'knowledge', 'nlu', 'engine', 'i18n', 'channels', 'server', 'admin', 'cli'], ['grammy', 'twilio', 'botbuilder', 'express']),
  restrict(['src/admin/**'], ['engine', 'channels', 'server', 'cli'], ['grammy', 'twilio', 'botbuilder']),
);
