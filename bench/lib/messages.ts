/**
 * The benchmark's message stream: what migrants actually send, in French, English, Arabic (MSA,
 * Darija in Arabic script, Darija in Latin letters) and Spanish, as reproducible conversations.
 * Free-text questions (typos, SMS style, long stories with one question inside) are mixed with
 * what follows them in real use: menu numbers, greetings, thanks, MORE, MENU and LANGUAGE.
 * Nothing here is a real person's message; the numbers and ids built from it are test values.
 */
import { readFileSync } from 'node:fs';
import type { Lang } from '../../src/domain/index.js';

/** Free-text questions per language (handwritten for the benchmark, not copied from intents/). */
export const QUESTIONS: Record<Lang, readonly string[]> = {
  fr: [
    "comment avoir la carte de sejour ?",
    "ma carte expire le mois prochain je fais koi pr la renouveler",
    "jsuis au maroc depuis 2 ans sans papiers est ce que je peux etre regularise",
    "la police m'a arrete hier dans la rue a tanger, ils peuvent me renvoyer ?",
    "ou trouver un medecin gratuit a rabat",
    "mon fils a 8 ans il peut aller a l'ecole publique sans papier?",
    "je veux demander l'asile comment faire",
    "c quoi le HCR et ou est leur bureau",
    "mon patron paie pas mon salaire depuis 3 mois",
    "comment ouvrir un compte en banque quand on est etranger",
    "je suis enceinte, ou accoucher sans argent ?",
    "on m'a refuse l'entree a l'aeroport de casa que faire",
    "je veux rentrer chez moi au cameroun, il y a une aide pour le retour ?",
    "Bonjour, je m'appelle Awa, je suis arrivee a Oujda il y a un mois avec ma petite soeur qui a 15 ans. On dort chez une dame mais elle veut qu'on parte. Est ce qu'il y a un endroit pour dormir pour nous ?",
    "comment declarer la naissance de mon bebe ne a fes",
    "un homme me force a travailler sans me payer et garde mon passeport",
    "est ce que je peux me marier avec une marocaine",
    "cours d'arabe gratuits pour migrants a casablanca ?",
    "j'ai besoin de parler a un avocat",
    "ils m'ont mis dans un bus vers le sud, est ce legal",
    "le proprietaire veut me mettre dehors sans preavis",
    "urgence mon ami est blesse il saigne beaucoup",
    "Vous gardez mes donnees ? qui peut lire mes messages",
    "c'est quoi la difference entre refugie et demandeur d'asile",
    "la karta coute combien",
    "les papiers pr travailler au maroc",
    "ya t il une association qui aide les femmes victimes de violence a nador",
    "bjr svp aide moi",
  ],
  en: [
    "how do i get a residence card in morocco",
    "my card is expiring next month what should i do",
    "i have been here 3 years without papers can i get regularised",
    "police stopped me in the street and took my phone what are my rights",
    "where can i see a doctor for free in rabat",
    "can my kids go to public school without papers",
    "how to register with unhcr",
    "my boss doesnt pay me for 2 months",
    "i want to go back home is there help for the ticket",
    "im pregnant and have no money where can i give birth",
    "Hello. I came from Nigeria last year through Oujda, I sleep in a forest camp near Nador with others. Yesterday the police took some of us and burned our things. Can they do that, and who can help us?",
    "someone took my passport and makes me work for free",
    "the landlord wants me out tomorrow",
    "is there a lawyer who can help me for free",
    "can i open a bank account as a foreigner",
    "they refused me entry at the airport",
    "help my friend is very sick he cant breathe",
    "what is the UN card and how do i get it",
    "work permit for foreigners how",
    "how long do you keep my data",
    "my baby was born in casablanca how do i register him",
    "free arabic or french classes",
    "im 16 and alone here",
    "can they deport me if i have asylum seeker paper",
  ],
  ar: [
    'كيف أحصل على بطاقة الإقامة في المغرب',
    'بطاقتي تنتهي الشهر القادم ماذا أفعل',
    'اعتقلتني الشرطة البارحة في طنجة هل يمكنهم ترحيلي',
    'أين أجد طبيبا مجانا في الرباط',
    'هل يمكن لابني أن يدرس في المدرسة العمومية بدون أوراق',
    'أريد أن أطلب اللجوء كيف أفعل',
    'المشغل لا يدفع أجرتي منذ ثلاثة أشهر',
    'كيف أسجل ولادة طفلي في فاس',
    'أنا حامل وليس عندي مال أين ألد',
    'رجل أخذ جوازي ويجبرني على العمل بدون أجر',
    'بغيت نعرف كيفاش ندير لكارط ديال الإقامة',
    'البوليس شدوني فالزنقة شنو خاصني ندير',
    'فين نلقى طبيب بلاش فكازا',
    'ولدي بغيت نسجلو فالمدرسة وما عنديش الوراق',
    'مول الدار بغا يخرجني',
    'واش نقدر نتزوج بمغربية',
    'عافاك بغيت نهضر مع شي واحد',
    'السلام عليكم أنا من السودان وصلت للمغرب هادي شهرين مع خويا الصغير عندو 14 عام، ما عندنا فين نعسو وما كنعرفو حتى واحد، شكون يقدر يعاونا؟',
    'bghit lwra9 dyal l9amaa kifach',
    'l7bs 3la sbab lwra9 wach normal',
    'fin nl9a tbib fabor f rabat',
    'bghit nrje3 lblad dyali wach kayn chi mosa3ada',
    'patron ma khlsnich had chhar',
    'salam 3afak bghit n3rf 7o9o9i',
    'kifach nsjl weldi f lmadrasa',
  ],
  es: [
    'como consigo la tarjeta de residencia en marruecos',
    'mi tarjeta caduca el mes que viene que hago',
    'llevo dos años sin papeles puedo regularizarme',
    'la policia me detuvo ayer en tanger me pueden expulsar',
    'donde hay un medico gratis en rabat',
    'mi hija puede ir a la escuela sin papeles',
    'quiero pedir asilo como se hace',
    'mi jefe no me paga desde hace 3 meses',
    'necesito ayuda con mis papeles',
    'estoy embarazada y no tengo dinero donde puedo dar a luz',
    'un hombre me quito el pasaporte y me obliga a trabajar',
    'quiero volver a mi pais hay ayuda para el billete',
    'Hola, soy de Guinea, llegue a Tetuan hace una semana con mi primo que tiene 16 años. No tenemos donde dormir y nos da miedo la policia. Que podemos hacer y quien nos puede ayudar?',
    'el dueño del piso me quiere echar',
    'como abrir una cuenta en el banco siendo extranjero',
    'necesito un abogado gratis',
    'clases de arabe gratis para migrantes',
    'como registro el nacimiento de mi bebe',
    'urgente mi amigo esta herido y sangra',
    'que hacen con mis datos',
    'permiso de trabajo para extranjeros',
    'me negaron la entrada en el aeropuerto',
  ],
};

/**
 * The questions of the HTTP and engine streams: bench/data/blind-dev.jsonl (messages written for
 * the matcher's evaluation and never trained on; 60 per language, every intent and style), taken
 * in turn per language. Every question sent differs from every other: from the second pass over a
 * language's list on, a message carries its pass number at the end (as a reference someone quotes
 * would), so no cache of repeated texts can answer a question. Greetings, thanks and menu numbers
 * repeat, as they do in real use.
 */
const BLIND_DEV: Record<Lang, readonly string[]> = (() => {
  const out: Record<Lang, string[]> = { fr: [], en: [], ar: [], es: [] };
  const file = new URL('../data/blind-dev.jsonl', import.meta.url);
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { text: string; lang: Lang };
    out[row.lang]?.push(row.text);
  }
  return out;
})();
const questionCursor: Record<Lang, number> = { fr: 0, en: 0, ar: 0, es: 0 };

/** The next question in `lang`, never sent before in this process. */
export function nextQuestion(lang: Lang): string {
  const list = BLIND_DEV[lang].length > 0 ? BLIND_DEV[lang] : QUESTIONS[lang];
  const n = questionCursor[lang]++;
  const pass = Math.floor(n / list.length);
  const text = list[n % list.length] as string;
  return pass === 0 ? text : `${text} ${pass}`;
}

/** Short messages that follow a question in real conversations. */
export const SHORT: Record<Lang, { greeting: readonly string[]; thanks: readonly string[]; more: string; menu: string; language: string }> = {
  fr: { greeting: ['bonjour', 'slt', 'bonsoir svp'], thanks: ['merci', 'merci bcp', 'ok merci'], more: 'PLUS', menu: 'MENU', language: 'LANGUE' },
  en: { greeting: ['hello', 'hi', 'good morning'], thanks: ['thanks', 'thank you so much', 'ok thx'], more: 'MORE', menu: 'MENU', language: 'LANGUAGE' },
  ar: { greeting: ['السلام عليكم', 'salam', 'مرحبا'], thanks: ['شكرا', 'choukran bzaf', 'الله يجازيك بخير'], more: 'المزيد', menu: 'القائمة', language: 'اللغة' },
  es: { greeting: ['hola', 'buenas', 'hola buenos dias'], thanks: ['gracias', 'muchas gracias', 'vale gracias'], more: 'MAS', menu: 'MENÚ', language: 'IDIOMA' },
};

/** Share of users per language (the helpline's expected audience: francophone and Arabic-speaking first). */
export const LANG_WEIGHTS: ReadonlyArray<[Lang, number]> = [
  ['fr', 0.38],
  ['ar', 0.3],
  ['en', 0.17],
  ['es', 0.15],
];

/** A small, fast, seedable PRNG (mulberry32), so every run sends the same stream. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length) % items.length] as T;
}

/** The language of user number `i` (deterministic). */
export function langOfUser(i: number): Lang {
  const x = rng(i * 7919 + 17)();
  let acc = 0;
  for (const [lang, w] of LANG_WEIGHTS) {
    acc += w;
    if (x < acc) return lang;
  }
  return 'fr';
}

/** What kind of message a stream item is (for per-kind statistics). */
export type MessageKind = 'question' | 'number' | 'greeting' | 'thanks' | 'command';

/** One message of the stream. */
export interface StreamMessage {
  lang: Lang;
  kind: MessageKind;
  text: string;
}

/**
 * The endless conversation of user `i`: opens with a greeting or a question, then (weighted like
 * real sessions) questions, menu numbers, MORE, thanks, MENU and now and then LANGUAGE.
 */
export function conversationOf(i: number): () => StreamMessage {
  const lang = langOfUser(i);
  const r = rng(i * 104729 + 3);
  const s = SHORT[lang];
  let n = 0;
  return () => {
    n++;
    if (n === 1) {
      return r() < 0.3 ? { lang, kind: 'greeting', text: pick(r, s.greeting) } : { lang, kind: 'question', text: nextQuestion(lang) };
    }
    const x = r();
    if (x < 0.5) return { lang, kind: 'question', text: nextQuestion(lang) };
    if (x < 0.75) return { lang, kind: 'number', text: String(1 + Math.floor(r() * 4)) };
    if (x < 0.82) return { lang, kind: 'command', text: s.more };
    if (x < 0.9) return { lang, kind: 'thanks', text: pick(r, s.thanks) };
    if (x < 0.97) return { lang, kind: 'command', text: s.menu };
    if (x < 0.985) return { lang, kind: 'greeting', text: pick(r, s.greeting) };
    return { lang, kind: 'command', text: s.language };
  };
}

/**
 * Round-robin over `users` conversations: message k goes to user k mod users, so with far more
 * users than connections no two requests in flight share a conversation (no lock is measured).
 */
export function createStream(users: number, firstUser = 0): () => { user: number; msg: StreamMessage } {
  const convs = new Map<number, () => StreamMessage>();
  let k = 0;
  return () => {
    const user = firstUser + (k++ % users);
    let conv = convs.get(user);
    if (!conv) {
      conv = conversationOf(user);
      convs.set(user, conv);
    }
    return { user, msg: conv() };
  };
}
