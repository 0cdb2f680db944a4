/**
 * SMS length arithmetic (pure). Every layer needs it: the content checker budgets short forms,
 * the engine picks a short form, the SMS channel pages long replies.
 *
 * Encodings and limits follow 3GPP TS 23.038 (GSM 03.38 alphabet) and TS 23.040 (concatenated
 * messages with a 6-byte user data header), as Twilio documents them:
 * https://www.twilio.com/docs/glossary/what-sms-character-limit
 */

/** The GSM 03.38 basic character set (one septet each). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The GSM 03.38 extension table: each character costs two septets (ESC + code). */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC_SET: ReadonlySet<string> = new Set(GSM_BASIC);
const EXTENSION_SET: ReadonlySet<string> = new Set(GSM_EXTENSION);

/**
 * Septets of each UTF-16 code unit: 1 for the basic set, 2 for the extension table, 0 when the
 * unit is not GSM (every GSM character is one BMP code unit). Lets the counting below run over
 * char codes in one pass instead of iterating code points and looking them up in sets.
 */
const SEPTETS = new Uint8Array(0x10000);
for (const ch of GSM_BASIC) SEPTETS[ch.charCodeAt(0)] = 1;
for (const ch of GSM_EXTENSION) SEPTETS[ch.charCodeAt(0)] = 2;

/** The two encodings an SMS can use. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** Characters of one segment: a single message, or each part of a concatenated one. */
export const SMS_LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const satisfies Record<SmsEncoding, { single: number; multi: number }>;

/** True when `char` (one code point) is in the GSM 03.38 basic set or its extension table. */
export function isGsmChar(char: string): boolean {
  return BASIC_SET.has(char) || EXTENSION_SET.has(char);
}

/** The encoding a text needs: GSM-7 when every character is in GSM 03.38, UCS-2 otherwise. */
export function smsEncoding(text: string): SmsEncoding {
  for (let i = 0; i < text.length; i++) {
    if (SEPTETS[text.charCodeAt(i)] === 0) return 'UCS-2';
  }
  return 'GSM-7';
}

/** The distinct characters that force a text into UCS-2, in order of first appearance. */
export function nonGsmChars(text: string): string[] {
  const seen = new Set<string>();
  for (const ch of text) {
    if (!isGsmChar(ch)) seen.add(ch);
  }
  return [...seen];
}

/**
 * Length of a text in its encoding's units: septets for GSM-7 (extension characters count 2),
 * UTF-16 code units for UCS-2 (a character outside the BMP, such as an emoji, counts 2).
 */
export function smsLength(text: string, encoding: SmsEncoding = smsEncoding(text)): number {
  if (encoding === 'UCS-2') return text.length;
  let n = 0;
  for (const ch of text) n += EXTENSION_SET.has(ch) ? 2 : 1;
  return n;
}

/**
 * Characters per segment for an encoding: `single` when the message fits in one SMS,
 * `multi` for each part of a concatenated message.
 */
export function smsCharsPerSegment(encoding: SmsEncoding, multipart: boolean): number {
  return multipart ? SMS_LIMITS[encoding].multi : SMS_LIMITS[encoding].single;
}

/**
 * Number of SMS segments a text is sent as (0 for the empty text). A two-septet extension
 * character and a UTF-16 surrogate pair are never split across segments, as carriers do.
 */
export function smsSegments(text: string): number {
  if (text === '') return 0;
  const n = text.length;
  // One pass over char codes (this runs for every candidate page when long replies are paged).
  let septets = 0;
  let gsm = true;
  for (let i = 0; i < n; i++) {
    const cost = SEPTETS[text.charCodeAt(i)] as number;
    if (cost === 0) {
      gsm = false;
      break;
    }
    septets += cost;
  }
  if (gsm) {
    if (septets <= SMS_LIMITS['GSM-7'].single) return 1;
    const per = SMS_LIMITS['GSM-7'].multi;
    let segments = 1;
    let used = 0;
    for (let i = 0; i < n; i++) {
      const cost = SEPTETS[text.charCodeAt(i)] as number;
      if (used + cost > per) {
        segments += 1;
        used = 0;
      }
      used += cost;
    }
    return segments;
  }
  if (n <= SMS_LIMITS['UCS-2'].single) return 1;
  const per = SMS_LIMITS['UCS-2'].multi;
  let segments = 1;
  let used = 0;
  for (let i = 0; i < n; i++) {
    // A surrogate pair (one code point) costs 2 and is never split across segments.
    let cost = 1;
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cost = 2;
        i++;
      }
    }
    if (used + cost > per) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

/** Replacements of typographic characters by their GSM-7 equivalents. */
const GSM_SAFE: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u2018\u2019\u201A\u201B\u2032\u00B4\u0060]/g, "'"], // ‘ ’ ‚ ‛ ′ ´ `
  [/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2039\u203A]/g, '"'], // “ ” „ ‟ ″ « » ‹ ›
  [/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, '-'], // hyphens, en/em dashes, minus
  [/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' '], // no-break, thin, narrow and other spaces
  [/[\u200B\u2060\uFEFF\u00AD]/g, ''], // zero-width space, word joiner, BOM, soft hyphen
  [/\u2026/g, '...'], // …
  [/[\u2022\u2023\u2043\u25AA\u25CF\u00B7]/g, '-'], // bullets, middle dot
  [/\t/g, ' '],
];

/**
 * Replaces typographic quotes, dashes, special spaces, ellipsis and bullets by GSM-7 equivalents
 * (`’` -> `'`, `«»` -> `"`, `–` -> `-`, no-break space -> space, `…` -> `...`, `•` -> `-`).
 * Letters are left alone: `ç` or Arabic text still need UCS-2.
 */
export function toGsmSafe(text: string): string {
  let out = text;
  for (const [pattern, replacement] of GSM_SAFE) out = out.replace(pattern, replacement);
  return out;
}

/** Two-letter replacements for letters with no single GSM-7 form. */
const GSM_SPECIAL: Readonly<Record<string, string>> = { œ: 'oe', Œ: 'OE', æ: 'ae' };

/**
 * Makes Latin text fit GSM-7 when that is possible, so an SMS costs 160/153 characters per
 * segment instead of 70/67. Typographic characters first (`toGsmSafe`); then only the letters the
 * GSM alphabet lacks lose their accent (á -> a, ç -> c, ê -> e, í -> i, ó -> o, ú -> u, œ -> oe).
 * Letters GSM-7 has are kept: é è à ù ì ò É Ç ñ Ñ ü Ü ä ö (Spanish "años" stays "años", French
 * "été" stays "été"). Text that still needs UCS-2 (Arabic, emoji) is returned unchanged, accents
 * and all, since it costs the same either way. The one rule for the SMS adapter and `content:check`.
 */
export function gsmFold(text: string): string {
  const safe = toGsmSafe(text);
  if (smsEncoding(safe) === 'GSM-7') return safe;
  let out = '';
  for (const ch of safe) {
    if (isGsmChar(ch)) {
      out += ch;
      continue;
    }
    const special = GSM_SPECIAL[ch];
    if (special) {
      out += special;
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    // A character with no GSM-7 form (Arabic, emoji ...) keeps the whole text in UCS-2: stop here.
    if (base.length === 0 || ![...base].every(isGsmChar)) return text;
    out += base;
  }
  return smsEncoding(out) === 'GSM-7' ? out : text;
}

/**
 * Words written without a letter that GSM-7 has, which then read as other words or look
 * careless: Spanish "anos" for "años" (ñ is GSM-7), French "ecole" for "école" (é is GSM-7).
 * Lower case; matched as whole words, case-insensitively, by `foldedWords`.
 */
export const OVER_FOLDED_WORDS: Readonly<Record<'es' | 'fr', Readonly<Record<string, string>>>> = {
  es: {
    ano: 'año',
    anos: 'años',
    campana: 'campaña',
    campanas: 'campañas',
    espana: 'España',
    espanol: 'español',
    espanola: 'española',
    nino: 'niño',
    ninos: 'niños',
    nina: 'niña',
    ninas: 'niñas',
    pequeno: 'pequeño',
    pequenos: 'pequeños',
    manana: 'mañana',
    companero: 'compañero',
    companera: 'compañera',
    senal: 'señal',
    dueno: 'dueño',
    duena: 'dueña',
    ensenanza: 'enseñanza',
    acompanar: 'acompañar',
    acompana: 'acompaña',
    acompanamiento: 'acompañamiento',
    danos: 'daños',
    contrasena: 'contraseña',
    extranjeria: 'extranjería',
  },
  fr: {
    etre: 'être',
    ecole: 'école',
    etat: 'état',
    etranger: 'étranger',
    etrangers: 'étrangers',
    verifie: 'vérifié',
    verifiee: 'vérifiée',
    telephone: 'téléphone',
    numero: 'numéro',
    securite: 'sécurité',
    sejour: 'séjour',
    refugie: 'réfugié',
    refugies: 'réfugiés',
    requerant: 'requérant',
    arrete: 'arrêté',
    arretee: 'arrêtée',
    deja: 'déjà',
    apres: 'après',
    tres: 'très',
    pres: 'près',
    aupres: 'auprès',
    medecin: 'médecin',
    medicale: 'médicale',
    prefecture: 'préfecture',
    delai: 'délai',
    mere: 'mère',
    pere: 'père',
    equipe: 'équipe',
    donnees: 'données',
  },
};

/** The over-folded words of `text` in `lang` (Spanish and French), with their correct spelling. */
export function foldedWords(text: string, lang: string): Array<{ word: string; correct: string }> {
  const table = lang === 'es' || lang === 'fr' ? OVER_FOLDED_WORDS[lang] : undefined;
  if (!table) return [];
  const out: Array<{ word: string; correct: string }> = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(/[\p{L}]+/gu)) {
    const word = m[0];
    const key = word.toLowerCase();
    const correct = table[key];
    if (!correct || seen.has(key)) continue;
    seen.add(key);
    out.push({ word, correct });
  }
  return out;
}
