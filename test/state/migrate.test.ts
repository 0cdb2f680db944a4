import { describe, expect, it } from 'vitest';
import { newState, STATE_VERSION, AWAITING } from '../../src/domain/index.js';
import { migrateState } from '../../src/state/migrate.js';
import { captureLogger } from './support.js';

const NOW = 1_750_000_000_000;

describe('migrateState', () => {
  it('keeps every value the engine may wait for (a stored erase confirmation survives the store)', () => {
    for (const awaiting of AWAITING) {
      const state = { ...newState(1000), lang: 'en' as const, awaiting };
      expect(migrateState(JSON.stringify(state), NOW)?.awaiting, awaiting).toBe(awaiting);
    }
  });

  it('returns a current state unchanged in content but as a fresh object', () => {
    const state = {
      ...newState(1000),
      lang: 'ar' as const,
      langConfirmed: true,
      menuPath: ['papers'],
      choices: [{ id: 'topic:asylum', label: 'اللجوء' }],
      awaiting: 'feedback' as const,
      lastTopic: 'asylum',
      city: 'oujda',
      pendingPages: ['page 2'],
      stopped: false,
      turns: 3,
    };
    const logger = captureLogger();
    const out = migrateState(JSON.stringify(state), NOW, logger);
    expect(out).toEqual(state);
    const fromObject = migrateState(state, NOW);
    expect(fromObject).toEqual(state);
    expect(fromObject).not.toBe(state);
    expect(fromObject?.choices).not.toBe(state.choices);
    expect(logger.entries).toEqual([]);
  });

  it('upgrades a version-0 value (no v) and fills missing fields', () => {
    const logger = captureLogger();
    expect(migrateState('{"lang":"fr","turns":2}', NOW, logger)).toEqual({
      ...newState(NOW),
      v: STATE_VERSION,
      lang: 'fr',
      turns: 2,
    });
    expect(logger.entries.map((e) => [e.event, e.fields])).toEqual([['state.migrate.upgraded', { from: 0, to: STATE_VERSION }]]);
  });

  it.each([
    ['unparseable JSON', '{"v":1,', 'unparseable'],
    ['a JSON array', '[1,2]', 'not-an-object'],
    ['a JSON string', '"hello"', 'not-an-object'],
    ['a number', 42, 'not-an-object'],
    ['a future version', JSON.stringify({ ...newState(1), v: STATE_VERSION + 1 }), 'future-version'],
    ['a version that is not a whole number', '{"v":"1"}', 'bad-version'],
    ['a negative version', '{"v":-1}', 'bad-version'],
  ])('discards %s and logs why, without the value', (_name, raw, reason) => {
    const logger = captureLogger();
    expect(migrateState(raw, NOW, logger)).toBeUndefined();
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]).toMatchObject({ level: 'warn', event: 'state.migrate.discarded', fields: { reason } });
    expect(logger.text()).not.toContain('hello');
  });

  it('treats nothing stored as no state, silently', () => {
    const logger = captureLogger();
    expect(migrateState(undefined, NOW, logger)).toBeUndefined();
    expect(migrateState(null, NOW, logger)).toBeUndefined();
    expect(logger.entries).toEqual([]);
  });

  it('drops or resets fields of the wrong type, strips unknown fields and names what it repaired', () => {
    const logger = captureLogger();
    const out = migrateState(
      {
        v: 1,
        lang: 'xx',
        langConfirmed: true,
        menuPath: 'papers',
        choices: [{ id: 'ok', label: 'Fine' }, { id: 3 }],
        awaiting: 'something',
        turns: -4,
        createdAt: 'yesterday',
        updatedAt: 5,
        noticeShown: true,
        phone: '+212600000000',
      },
      NOW,
      logger,
    );
    expect(out).toEqual({
      v: 1,
      langConfirmed: false,
      menuPath: [],
      choices: [{ id: 'ok', label: 'Fine' }],
      noticeShown: true,
      turns: 0,
      createdAt: NOW,
      updatedAt: 5,
    });
    expect(out).not.toHaveProperty('phone');
    const repaired = logger.entries.find((e) => e.event === 'state.migrate.repaired');
    expect(String(repaired?.fields.fields).split(',').sort()).toEqual(
      ['awaiting', 'choices', 'createdAt', 'lang', 'menuPath', 'turns'].sort(),
    );
    expect(logger.text()).not.toContain('212600000000');
  });
});
