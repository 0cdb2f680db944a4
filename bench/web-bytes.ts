/**
 * `npx tsx bench/web-bytes.ts URL [--preview]`: what the web chat costs a user on a phone paid by
 * the megabyte. Prints the chat page's bytes on the wire (as a browser asks for it: gzip and
 * brotli accepted) and the bytes of a 30-turn session of `/api/chat` (requests and responses
 * bodies as transferred), with `--preview` as the old page sent every request (channel previews).
 * Talks only to the URL given (a local Dalil, e.g. http://127.0.0.1:3000).
 */
import http from 'node:http';

const base = process.argv[2];
const preview = process.argv.includes('--preview');
if (!base) throw new Error('usage: tsx bench/web-bytes.ts http://127.0.0.1:3000 [--preview]');

/** Thirty turns of a plausible session: a language, menus, questions, numbers, feedback. */
const TURNS: Array<{ text?: string; choice?: string }> = [
  { choice: 'lang:fr' }, { text: 'comment avoir la carte de sejour ?' }, { choice: 'fb:yes' }, { text: '0' }, { text: '1' },
  { text: '2' }, { text: 'RETOUR' }, { text: 'je suis malade, ou aller a l hopital' }, { choice: 'fb:no' }, { text: 'Rabat' },
  { text: 'mon patron ne me paie pas' }, { text: 'PERSONNE' }, { text: 'AIDE' }, { text: 'la police a pris mon passeport' }, { text: '0' },
  { text: '3' }, { text: '1' }, { text: 'demande d asile' }, { text: 'ecole pour mon enfant' }, { text: 'je suis en danger' },
  { text: 'louer un appartement' }, { text: 'MENU' }, { text: '4' }, { text: '2' }, { text: 'travailler legalement' },
  { text: 'mariage au maroc' }, { text: 'rentrer dans mon pays' }, { text: 'merci' }, { text: 'LANGUE' }, { choice: 'lang:en' },
];

interface Wire { status: number; headers: http.IncomingHttpHeaders; bytes: number }

function request(method: string, path: string, body?: string): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = http.request(url, {
      method,
      headers: { 'accept-encoding': 'gzip, deflate, br', ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
    }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const page = await request('GET', '/');
const user = `bench${Date.now().toString(36)}`;
let sent = 0;
let received = 0;
for (const [i, turn] of TURNS.entries()) {
  const body = JSON.stringify({ user, id: `t${i}`, ...turn, ...(preview ? { preview: true } : {}) });
  sent += Buffer.byteLength(body);
  const res = await request('POST', '/api/chat', body);
  if (res.status !== 200) throw new Error(`turn ${i}: HTTP ${res.status}`);
  received += res.bytes;
}
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
console.log(`page: ${kb(page.bytes)} on the wire (content-encoding: ${page.headers['content-encoding'] ?? 'none'})`);
console.log(`30 turns${preview ? ' with previews' : ''}: ${kb(received)} received, ${kb(sent)} sent (bodies), ${kb(received / TURNS.length)} per turn`);
