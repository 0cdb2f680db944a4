/**
 * Segments per inbound SMS through the real SMS webhook, the real conversation service and the
 * real content: a first contact, the language choice, the menu, an answer, MORE and HELP, in
 * French and Arabic. Prints one table row per message: the number of <Message>s in the TwiML and
 * the segments of each. Nothing leaves the machine (no REST call is made within the deadline).
 *   npx tsx bench/sms-turns.ts
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { loadConfig, PROJECT_ROOT } from '../src/config/index.js';
import { smsSegments } from '../src/domain/index.js';
import { loadKnowledge } from '../src/knowledge/index.js';
import { createMatcher } from '../src/nlu/index.js';
import { createTranslator } from '../src/i18n/index.js';
import { createConversationService } from '../src/engine/index.js';
import { createMemoryStore } from '../src/state/memory.js';
import { createHmacKeyer } from '../src/state/keyer.js';
import { createSmsChannel } from '../src/channels/twilio/router.js';

const AUTH = 'f00dfacef00dfacef00dfacef00dface';
const BASE = 'https://dalil.example.org';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

const config = loadConfig({ NODE_ENV: 'test', HMAC_SECRET: 'bench-sms-turns' });
const { kb } = await loadKnowledge({ contentDir: config.contentDir, intentsDir: config.intentsDir, smsShortFormSegments: config.smsShortFormSegments, root: PROJECT_ROOT });
const matcher = createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] });
const t = await createTranslator(config.localesDir);
const store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
const handleTurn = createConversationService({ store, keyer: createHmacKeyer('bench'), deps: { kb, matcher, t, defaultLang: 'fr', maxMessageChars: config.maxMessageChars }, logger: silent });
const channel = createSmsChannel(
  { accountSid: 'AC' + 'b'.repeat(32), authToken: AUTH, whatsappFrom: '', smsFrom: '+15005550001', quickReplyContentSid: '', listPickerContentSid: '', publicBaseUrl: BASE, maxBodySize: '64kb', smsSegmentBudget: 3, defaultLang: 'fr' },
  { handleTurn, logger: silent, t, sender: async () => { throw new Error('no REST in this measurement'); } },
);
const app = express();
app.use(channel.mount.path, channel.mount.router);
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

let sid = 0;
async function sms(from: string, body: string, extra: Record<string, string> = {}): Promise<string[]> {
  sid += 1;
  const params = { MessageSid: `SM${String(sid).padStart(32, '0')}`, From: from, To: '+15005550001', Body: body, NumMedia: '0', SmsStatus: 'received', ...extra };
  const signature = twilio.getExpectedTwilioSignature(AUTH, `${BASE}${channel.mount.path}`, params);
  const r = await fetch(`${url}${channel.mount.path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
  const xml = await r.text();
  return [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
    (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'),
  );
}

const SCRIPTS: Record<string, Array<[string, string, Record<string, string>?]>> = {
  fr: [
    ['first contact (question)', "c'est quoi la carte de séjour ?"],
    ['MORE', 'PLUS'],
    ['HELP (OptOutType)', 'HELP', { OptOutType: 'HELP' }],
  ],
  'fr ': [
    ['first contact (greeting)', 'bonjour'],
    ['language choice', 'français'],
    ['menu', 'menu'],
    ['answer', 'je suis malade, je veux voir un médecin'],
    ['MORE', 'PLUS'],
  ],
  ar: [
    ['first contact (question)', 'ما هي بطاقة الإقامة؟'],
    ['MORE', 'المزيد'],
    ['HELP (OptOutType)', 'HELP', { OptOutType: 'HELP' }],
  ],
  'ar ': [
    ['first contact (greeting)', 'مرحبا'],
    ['language choice', 'العربية'],
    ['menu', 'القائمة'],
    ['answer', 'أنا مريض وأريد رؤية طبيب'],
    ['MORE', 'المزيد'],
  ],
};

const verbose = process.argv.includes('--verbose');
let user = 0;
console.log('| lang | inbound | messages | segments each | total |');
console.log('|---|---|---|---|---|');
for (const [lang, steps] of Object.entries(SCRIPTS)) {
  user += 1;
  const from = `+1500555${String(user).padStart(4, '0')}`;
  for (const [label, body, extra] of steps) {
    const out = await sms(from, body, extra);
    const segs = out.map(smsSegments);
    console.log(`| ${lang.trim()} | ${label} | ${out.length} | ${segs.join('+') || '-'} | ${segs.reduce((a, b) => a + b, 0)} |`);
    if (verbose) for (const m of out) console.log(`    ---\n${m.replace(/^/gm, '    ')}`);
  }
}
server.close();
await store.close();
