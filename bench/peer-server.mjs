/**
 * The peer of the HTTP benchmark: what a Node developer would build instead of Dalil. express 5
 * with NLP.js (node-nlp, the package bench/nlu/ compares Dalil's matcher with) trained on Dalil's
 * own phrases (`npm run --silent nlu:export` output, the file named by PEER_PHRASES), and the
 * conversation state in a Map in the process. It answers `/api/chat` bodies as Dalil's web chat
 * does ({ user, text, id } -> { replies }), with the same chores in miniature: a redelivered id
 * is answered with nothing, a per-user rate limit, menu numbers answered from the last topic,
 * NLP.js classifying everything else (guessing the language itself, as Dalil must).
 * Run by plain node; listens on 127.0.0.1:$PORT and prints "ready" once trained.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import express from 'express';

const require = createRequire(import.meta.url);
const { NlpManager } = require('node-nlp');

const rows = readFileSync(process.env.PEER_PHRASES, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  // PEER_LIMIT (CI's smoke): every n-th phrase only, so that training takes a moment.
  .filter((_r, i, all) => !process.env.PEER_LIMIT || i % Math.max(1, Math.floor(all.length / Number(process.env.PEER_LIMIT))) === 0);
const langs = [...new Set(rows.map((r) => r.lang))];
const manager = new NlpManager({ languages: langs, nlu: { log: false }, autoSave: false, autoLoad: false, forceNER: false });
for (const r of rows) manager.addDocument(r.lang, r.text, r.intent);
const trainStart = performance.now();
await manager.train();
const trainMs = Math.round(performance.now() - trainStart);

/** user -> { lang, topic, turns, ids (recent delivery ids), window, count } */
const conversations = new Map();
const RATE_PER_MINUTE = 1000;
const MENU = { fr: 'Tapez 1 à 4', en: 'Type 1 to 4', ar: 'اكتب من 1 إلى 4', es: 'Escriba de 1 a 4' };

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '16kb' }));
app.post('/api/chat', async (req, res) => {
  const { user, text, id } = req.body ?? {};
  if (typeof user !== 'string' || typeof text !== 'string') {
    res.status(400).json({ error: 'user and text are required' });
    return;
  }
  let c = conversations.get(user);
  if (!c) conversations.set(user, (c = { lang: 'fr', topic: undefined, turns: 0, ids: [], window: 0, count: 0 }));
  if (id && c.ids.includes(id)) {
    res.json({ replies: [] });
    return;
  }
  if (id) {
    c.ids.push(id);
    if (c.ids.length > 20) c.ids.shift();
  }
  const minute = Math.floor(Date.now() / 60_000);
  if (c.window !== minute) {
    c.window = minute;
    c.count = 0;
  }
  if (++c.count > RATE_PER_MINUTE) {
    res.status(429).json({ replies: [{ text: 'slow down' }] });
    return;
  }
  c.turns++;
  const trimmed = text.trim();
  if (/^[1-9]$/.test(trimmed) && c.topic) {
    res.json({ replies: [{ text: `${c.topic} #${trimmed}` }, { text: MENU[c.lang] ?? MENU.fr }] });
    return;
  }
  const r = await manager.process(undefined, trimmed);
  if (r.locale && langs.includes(r.locale)) c.lang = r.locale;
  if (r.intent && r.intent !== 'None' && r.score >= 0.5) c.topic = r.intent;
  res.json({ replies: [{ text: r.answer ?? `${r.intent} (${r.score.toFixed(2)})` }, { text: MENU[c.lang] ?? MENU.fr }] });
});
app.get('/healthz', (_req, res) => res.json({ status: 'ok', conversations: conversations.size }));
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`ready ${JSON.stringify({ trainMs, phrases: rows.length })}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
