/**
 * The case desk's behaviour, run over each store (memory and Redis): the same promises hold
 * whichever keeps the cases.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../src/domain/index.js';
import type { CaseStore } from '../../src/cases/store.js';
import { ADMIN, PARTNER_A, PARTNER_B, WORKER_A, WORKER_B, deskOver, openCase } from './support.js';

/** Makes a fresh, empty store (and tears it down). */
export interface StoreFactory {
  make(): Promise<CaseStore>;
  /** Events from the store arrive asynchronously on Redis: wait until `check` holds. */
  settle?: () => Promise<void>;
}

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`never happened: ${what}`);
};

export function describeDesk(name: string, factory: StoreFactory): void {
  describe(`case desk over the ${name} store`, () => {
    let env: Awaited<ReturnType<typeof deskOver>>;
    beforeEach(async () => {
      env = await deskOver(await factory.make());
    });
    afterEach(async () => {
      await env.desk.shutdown();
    });

    it('opens a case that the inbox lists without any text, to its partner and the Centre only', async () => {
      const { ref } = await openCase(env.desk, { channel: 'sms', callback: true });
      const forA = await env.desk.list(WORKER_A);
      expect(forA.map((s) => s.ref)).toEqual([ref]);
      expect(forA[0]).toMatchObject({ ref, partnerId: PARTNER_A.id, status: 'new', channel: 'sms', lang: 'fr', topic: 'arrest', city: 'rabat', callback: true });
      expect(JSON.stringify(forA)).not.toContain('+212600112233');
      expect((await env.desk.list(ADMIN)).map((s) => s.ref)).toContain(ref);
      expect(await env.desk.list(WORKER_B)).toEqual([]);
      expect(await env.desk.list(WORKER_A, { status: 'closed' })).toEqual([]);
      expect((await env.desk.list(WORKER_A, { status: 'open' })).length).toBe(1);
    });

    it('relays the user messages, in order, and marks the case waiting', async () => {
      const { ref, key } = await openCase(env.desk);
      await env.desk.fromUser({ ref, key, text: 'They took my passport', at: env.clock.now });
      await env.desk.fromUser({ ref, key, text: 'I am at the station', at: env.clock.now + 1000 });
      await env.desk.fromUser({ ref, key: 'someone-else', text: 'not mine', at: env.clock.now + 2000 } as never);
      const read = await env.desk.read(WORKER_A, ref);
      expect(read!.messages.map((m) => [m.from, m.text])).toEqual([
        ['user', 'They took my passport'],
        ['user', 'I am at the station'],
      ]);
      expect(read!.summary.lastUserAt).toBe(env.clock.now + 1000);
      expect(read!.summary.waitingSince).toBeDefined();
      expect(read!.callbackNumber).toBeUndefined();
    });

    it('gives the callback number only when the user asked for a call back', async () => {
      const asked = await openCase(env.desk, { channel: 'sms', callback: true, userId: '+212611223344' });
      const notAsked = await openCase(env.desk, { channel: 'sms', callback: false, userId: '+212655667788' });
      expect((await env.desk.read(WORKER_A, asked.ref))!.callbackNumber).toBe('+212611223344');
      expect((await env.desk.read(WORKER_A, notAsked.ref))!.callbackNumber).toBeUndefined();
    });

    it('a case worker of another partner gets not-found on every method, and nothing changes', async () => {
      const { ref, key } = await openCase(env.desk);
      await env.desk.fromUser({ ref, key, text: 'help', at: env.clock.now });
      expect(await env.desk.read(WORKER_B, ref)).toBeUndefined();
      expect(await env.desk.claim(WORKER_B, ref)).toBe(false);
      expect(await env.desk.reply(WORKER_B, ref, 'hello')).toBeUndefined();
      expect(await env.desk.transfer(WORKER_B, ref, PARTNER_B.id, 'mine now')).toBe(false);
      expect(await env.desk.close(WORKER_B, ref, 'informed')).toBe(false);
      // The same answers as for a case that does not exist at all.
      expect(await env.desk.read(WORKER_B, 'D-NOPE')).toBeUndefined();
      expect(await env.desk.claim(WORKER_B, 'D-NOPE')).toBe(false);
      expect(env.telegram.sent).toEqual([]);
      expect(await env.desk.audit({ ref })).toEqual([]);
      const read = await env.desk.read(WORKER_A, ref);
      expect(read!.summary).toMatchObject({ status: 'new', partnerId: PARTNER_A.id });
      expect(read!.summary.claimedBy).toBeUndefined();
    });

    it('writes an audit line for every read, claim, reply, transfer and close', async () => {
      const { ref } = await openCase(env.desk);
      await env.desk.read(WORKER_A, ref);
      await env.desk.claim(WORKER_A, ref);
      await env.desk.reply(WORKER_A, ref, 'We are here.');
      await env.desk.transfer(WORKER_A, ref, PARTNER_B.id, 'they have a lawyer in Rabat');
      await env.desk.close(WORKER_B, ref, 'referred');
      const lines = await env.desk.audit({ ref });
      expect(lines.map((l) => [l.action, l.username, l.detail])).toEqual([
        ['close', 'badr', 'referred'],
        ['transfer', 'amina', PARTNER_B.id],
        ['reply', 'amina', undefined],
        ['claim', 'amina', undefined],
        ['read', 'amina', undefined],
      ]);
      expect(JSON.stringify(lines)).not.toContain('lawyer');
      expect((await env.desk.audit({ limit: 2 })).length).toBe(2);
    });

    it('delivers a reply through the channel with the decrypted address, the organisation named, and records it sent', async () => {
      const { ref, key, userId } = await openCase(env.desk);
      await env.desk.fromUser({ ref, key, text: 'hello?', at: env.clock.now });
      const message = await env.desk.reply(WORKER_A, ref, 'We will call the police station.');
      expect(message).toMatchObject({ from: 'worker', by: 'amina', text: 'We will call the police station.', delivery: { state: 'sent', via: 'text' } });
      expect(env.telegram.sent).toEqual([{ address: { channel: 'telegram', userId }, text: 'Org caritas : We will call the police station.', lang: 'fr', lastUserAt: env.clock.now }]);
      const read = await env.desk.read(WORKER_A, ref);
      expect(read!.messages.at(-1)).toMatchObject({ from: 'worker', delivery: { state: 'sent' } });
      expect(read!.summary).toMatchObject({ status: 'claimed', claimedBy: 'amina' });
      expect(read!.summary.waitingSince).toBeUndefined();
    });

    it('a delivery that fails is recorded on the message and published, never silent', async () => {
      const events: CaseEvent[] = [];
      env.desk.subscribe((e) => events.push(e));
      const { ref } = await openCase(env.desk);
      env.telegram.reacher.result = { ok: false, reason: 'blocked' };
      const message = await env.desk.reply(WORKER_A, ref, 'Secret advice text');
      expect(message!.delivery).toEqual({ state: 'failed', reason: 'blocked' });
      await until(() => events.some((e) => e.kind === 'delivery' && e.ref === ref), 'a delivery event');
      expect(events.find((e) => e.kind === 'delivery')).toEqual({ ref, partnerId: PARTNER_A.id, kind: 'delivery' });
      const stored = (await env.desk.read(WORKER_A, ref))!.messages.at(-1)!;
      expect(stored).toMatchObject({ text: 'Secret advice text', delivery: { state: 'failed', reason: 'blocked' } });
      env.telegram.reacher.result = new Error('socket hang up');
      expect((await env.desk.reply(WORKER_A, ref, 'again'))!.delivery).toEqual({ state: 'failed', reason: 'failed' });
      const failures = env.log.events().filter((e) => e.event === 'case.reply_failed');
      expect(failures.map((e) => e.reason)).toEqual(['blocked', 'failed']);
      expect(env.log.lines.join('\n')).not.toMatch(/Secret advice|987654321|socket hang up/);
    });

    it('a channel without a reacher fails the delivery as no-channel', async () => {
      const { ref } = await openCase(env.desk, { channel: 'whatsapp', userId: 'whatsapp:+212600000001' });
      expect((await env.desk.reply(WORKER_A, ref, 'hi'))!.delivery).toEqual({ state: 'failed', reason: 'no-channel' });
    });

    it('web chat replies wait in the outbox and are taken once', async () => {
      const { ref, key } = await openCase(env.desk, { channel: 'web' });
      const message = await env.desk.reply(WORKER_A, ref, 'Bonjour, je suis là.');
      expect(message!.delivery).toEqual({ state: 'sent', via: 'inbox' });
      const first = await env.desk.takeWebReplies(key);
      expect(first.map((r) => r.text)).toEqual(['Org caritas : Bonjour, je suis là.']);
      expect(await env.desk.takeWebReplies(key)).toEqual([]);
    });

    it('transfers to another active partner with a reason; the user is told in their language', async () => {
      const { ref } = await openCase(env.desk, { lang: 'en' });
      await env.desk.claim(WORKER_A, ref);
      await expect(env.desk.transfer(WORKER_A, ref, 'org-off', 'closed org')).rejects.toThrow(/no active partner/);
      await expect(env.desk.transfer(WORKER_A, ref, PARTNER_B.id, '  ')).rejects.toThrow(/reason/);
      expect(await env.desk.transfer(WORKER_A, ref, PARTNER_B.id, 'Needs a lawyer')).toBe(true);
      expect(env.telegram.sent.at(-1)!.text).toBe('Your request has been passed to Org gadem, who can help you better. Someone will answer you here.');
      expect(await env.desk.read(WORKER_A, ref)).toBeUndefined();
      const atB = await env.desk.read(WORKER_B, ref);
      expect(atB!.summary).toMatchObject({ partnerId: PARTNER_B.id, status: 'new' });
      expect(atB!.summary.claimedBy).toBeUndefined();
      expect(atB!.messages.map((m) => m.text)).toContain(`→ ${PARTNER_B.id}: Needs a lawyer`);
      expect((await env.desk.list(WORKER_B)).map((s) => s.ref)).toEqual([ref]);
      expect(await env.desk.list(WORKER_A)).toEqual([]);
    });

    it('closes with an outcome, tells the user, and takes no more replies', async () => {
      const { ref } = await openCase(env.desk);
      await expect(env.desk.close(WORKER_A, ref, 'forgotten')).rejects.toThrow(/outcome/);
      expect(await env.desk.close(WORKER_A, ref, 'informed')).toBe(true);
      expect(env.telegram.sent.at(-1)!.text).toMatch(/^Org caritas a clos votre demande/);
      expect(await env.desk.close(WORKER_A, ref, 'informed')).toBe(false);
      const read = await env.desk.read(WORKER_A, ref);
      expect(read!.summary).toMatchObject({ status: 'closed', outcome: 'informed', closedAt: env.clock.now });
      await expect(env.desk.reply(WORKER_A, ref, 'one more')).rejects.toThrow(/closed/);
    });

    it('the user ends a case; later messages are not relayed', async () => {
      const { ref, key } = await openCase(env.desk);
      await env.desk.closeByUser({ ref, key: 'not-the-user' as never, at: env.clock.now });
      expect((await env.desk.read(ADMIN, ref))!.summary.status).toBe('new');
      await env.desk.closeByUser({ ref, key, at: env.clock.now });
      await env.desk.fromUser({ ref, key, text: 'late', at: env.clock.now + 1 });
      const read = await env.desk.read(ADMIN, ref);
      expect(read!.summary).toMatchObject({ status: 'closed', outcome: 'user-ended' });
      expect(read!.messages).toEqual([]);
    });

    it('forget-me closes every case of the user and erases messages, contact details and the outbox', async () => {
      const web = await openCase(env.desk, { channel: 'web' });
      const sms = await openCase(env.desk, { channel: 'sms', callback: true, key: web.key, partnerId: PARTNER_B.id });
      const other = await openCase(env.desk);
      await env.desk.fromUser({ ref: web.ref, key: web.key, text: 'my story', at: env.clock.now });
      await env.desk.reply(WORKER_A, web.ref, 'waiting reply');
      await env.desk.forgetUser(web.key);
      for (const ref of [web.ref, sms.ref]) {
        const read = await env.desk.read(ADMIN, ref);
        expect(read!.summary).toMatchObject({ status: 'closed', outcome: 'forgotten' });
        expect(read!.messages).toEqual([]);
        expect(read!.callbackNumber).toBeUndefined();
      }
      expect(await env.desk.takeWebReplies(web.key)).toEqual([]);
      expect((await env.desk.read(ADMIN, other.ref))!.summary.status).toBe('new');
      // Nothing more reaches the forgotten user.
      expect(await env.desk.close(WORKER_B, sms.ref, 'informed')).toBe(false);
    });

    it('sweep deletes cases closed longer than the retention period, and only those', async () => {
      const old = await openCase(env.desk);
      const recent = await openCase(env.desk);
      const open = await openCase(env.desk);
      await env.desk.close(WORKER_A, old.ref, 'informed');
      env.clock.now += 20 * 86_400_000;
      await env.desk.close(WORKER_A, recent.ref, 'informed');
      env.clock.now += 11 * 86_400_000;
      expect(await env.desk.sweep(env.clock.now)).toBe(1);
      expect(await env.desk.read(ADMIN, old.ref)).toBeUndefined();
      expect(await env.desk.read(ADMIN, recent.ref)).toBeDefined();
      expect(await env.desk.read(ADMIN, open.ref)).toBeDefined();
      expect((await env.desk.list(ADMIN)).map((s) => s.ref).sort()).toEqual([recent.ref, open.ref].sort());
      expect(await env.desk.sweep(env.clock.now)).toBe(0);
    });

    it('publishes opened, message, claimed and closed events to subscribers', async () => {
      const events: CaseEvent[] = [];
      const stop = env.desk.subscribe((e) => events.push(e));
      const { ref, key } = await openCase(env.desk);
      await env.desk.fromUser({ ref, key, text: 'x', at: env.clock.now });
      await env.desk.claim(WORKER_A, ref);
      await env.desk.close(WORKER_A, ref, 'other');
      await until(() => events.filter((e) => e.ref === ref).length >= 5, 'five events');
      expect(events.filter((e) => e.ref === ref).map((e) => e.kind)).toEqual(['opened', 'message', 'claimed', 'closed', 'message']);
      stop();
    });

    it('never logs a message text, a phone number or a chat id', async () => {
      const { ref, key } = await openCase(env.desk, { channel: 'sms', callback: true, userId: '+212699887766' });
      await env.desk.fromUser({ ref, key, text: 'Je suis à Oujda, aidez-moi', at: env.clock.now });
      await env.desk.reply(WORKER_A, ref, 'Nous arrivons');
      await env.desk.read(WORKER_A, ref);
      await env.desk.forgetUser(key);
      const all = env.log.lines.join('\n');
      expect(all).toContain('case.opened');
      expect(all).not.toMatch(/Oujda|Nous arrivons|212699887766/);
      expect(all).not.toContain(key);
    });
  });
}
