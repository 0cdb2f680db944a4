/**
 * The safety layer: high-recall patterns read before the classifier's answer is trusted, in every
 * language and script at once (people mix them). They find what must never be missed or done by
 * mistake: a request to erase what the user wrote (erased only when the wording is plain; asked
 * otherwise), a request for a crime or for another country's visas (a short specific answer
 * instead of a topic), nonsense (no language evidence, no topic) and the migration status that
 * qualifies a need ("I have no papers, ...") without being the question.
 */
import { foldLatin, normaliseArabicLetters } from './normalise.js';

/** Lower case, Latin accents folded, Arabic letter variants unified, punctuation as spaces, digits kept (arabizi). */
export function plainText(text: string): string {
  const folded = foldLatin(normaliseArabicLetters(text.normalize('NFKC').toLowerCase()));
  return ` ${folded.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/** Alternatives, their Arabic letters unified as messages' are (ئ -> ي, ة -> ه, أ -> ا ...). */
const any = (parts: readonly string[]): string => `(?:${parts.map(normaliseArabicLetters).join('|')})`;
/** A whole word (or words) of the plain text; `\w*` endings written in the parts themselves. */
const word = (parts: readonly string[]): RegExp => new RegExp(` ${any(parts)} `, 'u');
/** `a`, then `b` within `gap` characters. */
const near = (a: readonly string[], b: readonly string[], gap = 40): RegExp => new RegExp(` ${any(a)} .{0,${gap}}?${any(b)}`, 'u');

// ---------------------------------------------------------------- forget-me

/** Verbs of erasing, in every language and script (imperatives, infinitives, common misspellings). */
const ERASE = [
  'delete\\w*', 'delet', 'dlt', 'erase\\w*', 'remove\\w*', 'wipe\\w*', 'clear\\w*', 'clean',
  'supprim\\w*', 'suprim\\w*', 'efface\\w*', 'effac\\w*', 'retir\\w*', 'detrui\\w*',
  'borr\\w*', 'elimin\\w*', 'quit\\w*',
  'msa7\\w*', 'mse7\\w*', 'ms7\\w*', 'tms7\\w*', 'tmsa7\\w*', 'tmse7\\w*', 'tmsah\\w*', 'tmseh\\w*', 'nms7\\w*', 'nmsa7\\w*', 'mseh\\w*', 'msah\\w*', 'mas7\\w*', 'm7i\\w*', 'm7ih', 'supprimi\\w*', 'effaci\\w*', 'tsuprimi\\w*',
  'مسح\\p{L}*', 'امسح\\p{L}*', 'تمسح\\p{L}*', 'نمسح\\p{L}*', 'يمسح\\p{L}*', 'احذف\\p{L}*', 'حذف\\p{L}*', 'تحذف\\p{L}*', 'يحذف\\p{L}*',
  'امحي\\p{L}*', 'محي\\p{L}*', 'سبريمي\\p{L}*', 'ازيل\\p{L}*', 'ازاله', 'ازالة',
  // Passive and first-person forms ("I want to be erased"), "remove/take away", "destroy", "scrub".
  'نتمسح\\p{L}*', 'يتمسح\\p{L}*', 'تتمسح\\p{L}*', 'يتحذف\\p{L}*', 'نتحذف\\p{L}*', 'يتحيد\\p{L}*', 'ntms\\w*', 'ytms\\w*', 'ttms\\w*',
  'حيد\\p{L}*', 'تحيد\\p{L}*', 'نحيد\\p{L}*', 'شيل\\p{L}*', 'تشيل\\p{L}*', 'hyd\\w*', 'hayd\\w*', 'hyed\\w*', '7yd\\w*', '7ayd\\w*', '7yed\\w*', 'thyd\\w*', 't7yd\\w*', '7iye?d\\w*', '7eye?d\\w*', 'hiye?d\\w*', 't7iye?d\\w*', '[nty]?7aye?d\\w*', '[nty]?7ye?d\\w*', '[nty]?7iye?d\\w*', 'nhaye?d\\w*', 'nhye?d\\w*', 'sprim\\w*', 'sprem\\w*', 'ssprim\\w*', 'chil\\w*', 'nsa', 'ensa', 'نسا', 'تنساو', 'تنسو\\p{L}*', 'انسوا', 'انساو', 'tnsaw', 'nsaw', 'ensaw',
  'اتلف\\p{L}*', 'تلفو\\p{L}*', 'دمر\\p{L}*',
  // Nouns of a formal request ("I request the deletion of my data"), in every language.
  'deletion', 'erasure', 'suppression', 'supression', 'supresion', 'borrado', 'eliminacion', 'effacement', 'محو', 'امح\\p{L}*', 'الحذف', 'المسح',
  'cancel (?:all|everything|every thing|wetin|am|it all)', 'comm?ot (?:am|all|everything|my|wetin|una)', 'scrub\\w*', 'purge\\w*', 'destroy\\w*', 'destru\\w*', 'get rid of',
];
/** "Forget me" and its kin: a request on its own. */
const FORGET_ME = [
  'be forgotten', 'right to be forgotten', 'droit a l oubli', 'etre oubli\\w*', 'derecho al olvido', 'ser olvidad\\w*', 'الحق في النسيان',
  'forget me', 'forget about me', 'forget everything', 'forget all', 'oubli\\w* moi', 'oubli\\w* tout', 'olvid\\w*me', 'olvidame', 'olvida todo', 'olvidad\\w*',
  'انسا?ني', 'انساني', 'نساني', 'nsani', 'nsa ni', 'ansani', 'انسوني', 'انس كل\\p{L}*', 'انسى كل\\p{L}*', 'انسا كل\\p{L}*', 'انسوا كل\\p{L}*', 'انساو كل\\p{L}*',
];
/** What is erased: the conversation, the messages, the data, "everything", "what I wrote". */
const DATA = [
  'everything', 'all', 'my \\w+', 'what i', 'wetin i', 'wey i', 'wetin wey i', 'conversation\\w*', 'chat\\w*', 'history', 'messages?', 'mesages?', 'message', 'data', 'details?', 'detials', 'info\\w*', 'number', 'it', 'am', 'that',
  'tout\\w*', 'mes \\w+', 'mon \\w+', 'ma \\w+', 'ce que j', 'ce que je', 'historique', 'donnees?', 'numero', 'conversation', 'discussion',
  'todo', 'toda', 'mis \\w+', 'mi \\w+', 'lo que', 'conversacion', 'historial', 'datos', 'mensajes?', 'numero',
  'kolchi', 'kulchi', 'koulchi', 'dyali', 'diali', 'lmessages?', 'lmesajat', 'lconversation', 'la conversation', 'dakchi', 'dak chi', 'chno ktebt', 'li ktebt', 'li 9lt',
  'account', 'compte', 'lcompte', 'cuenta', 'name', 'nom', 'nombre', 'address', 'adresse', 'direccion', 'story', 'histoire', 'historia',
  'system', 'systeme', 'sistema', 'servers?', 'serveurs?', 'servidor\\w*', 'from you', 'de chez vous', 'mn 3ndkom', 'mn andkom', 'smiti', 'ldata', 'data', 'lmisajat', 'lmessageat',
  'سميتي', 'اسمي', 'العنوان', 'عنواني', 'النمره', 'نمرتي', 'الميساجات', 'ميساجاتي', 'الداطا', 'داطا', 'قصتي', 'حكايتي', 'من عندكم', 'السيستيم', 'خوادمكم', 'حسابي', 'الحساب',
  'كلشي', 'كل شي', 'كل ما', 'كل شيء', 'بياناتي', 'معلوماتي', 'رسايلي', 'رسائلي', 'الرسائل', 'الرسايل', 'المحادثه', 'المحادثة', 'داكشي', 'ما كتبت\\p{L}*', 'لي كتبت', 'اللي كتبت', 'لي قلت', 'ديالي', 'رقمي', 'سجلي',
];
/** "I don't want you to keep it": the wish not to be kept, which asks for erasure too. */
const NOT_KEEP = [
  'no want .{0,15}keep', 'no wan .{0,15}keep',
  'don t want you to keep', 'dont want you to keep', 'do not keep', 'don t keep', 'dont keep', 'no keep', 'stop keeping', 'not be kept', 'not to be kept', 'don t want it to stay', 'dont want it to stay',
  'ne gardez pas', 'ne garde pas', 'veux pas que vous gardiez', 'veux pas que tu gardes', 'veux pas que ca reste', 'ne conservez pas',
  'no guard\\w*', 'no quiero que (?:quede|se quede|guard)\\w*', 'no conserv\\w*',
  'ma t7tafdo?ch', 'ma tkhlich', 'ma tkhliwch', 'ma bghitch ybqa', 'ma bghitch tb9a', 'ma bghitch yb9a', 'matkhalich', 'matkhalihch',
  '(?:ne )?veux (?:pas|plus) que .{0,40}(?:rest|gard|conserv)\\w*', 'no quiero que .{0,40}(?:qued|guard|conserv)\\w*', 'don t want .{0,30}(?:kept|stay\\w*|saved|stored)', 'dont want .{0,30}(?:kept|stay\\w*|saved|stored)',
  'ma bghit\\w* .{0,30}(?:yb9aw|yb9a|tb9a|ybqaw|ybqa|tbqa)', 'ما بغيت\\p{L}* .{0,30}(?:يبقاو|يبقى|تبقى|يبقا)',
  'ma tkhli(?:w|ch|wch)? (?:7ta|hta) (?:7aja|haja|chi)', 'ma tkhli(?:w|ch|wch)? walo', 'don t leave anything', 'dont leave anything', 'ne (?:gardez|garde|laissez|laisse) rien', 'no (?:guardes|guarden|dejes|dejen) nada',
  'ما تخلي(?:و|ش|وش)? (?:حتى|شي|اي) (?:حاجه|شي)', 'ما تخلي(?:و|ش|وش)? والو', 'ما بغيت\\p{L}* (?:ي|ت)بقى', 'ما بغيت\\p{L}* (?:ي|ت)بقا', 'ma bghit\\w* (?:y|t)b(?:9|q)a',
  'ما تخليش', 'ما تخليوش', 'ماتخليش', 'ما بغيتش يبقى', 'ما بغيتش تبقى', 'لا اريد ان يبقى', 'لا اريد ان تحتفظوا', 'لا تحتفظوا', 'لا تحتفظ', 'لا اريدكم ان تحتفظوا',
];
/** A question about erasing later, or whether it is possible: privacy, not an erase request. */
const LATER = [
  'later', 'in future', 'one day', 'plus tard', 'un jour', 'si je veux', 'si jamais', 'mas tarde', 'manana', 'algun dia', 'si quiero', 'if i want', 'when i want',
  'من بعد', 'لاحقا', 'فيما بعد', 'من بعد', 'ila bghit', 'mn b3d', 'men ba3d', 'mn ba3d', 'fl mosta9bal', 'إذا أردت', 'اذا اردت', 'ila bghit',
];
/**
 * Another service's account, or a record Dalil does not hold (a contract, a criminal record, a
 * police file): out of scope, never an erase request to Dalil. A bare "account" is Dalil's.
 */
const OTHER_ACCOUNT = [
  'facebook', 'fb', 'instagram', 'insta', 'tiktok', 'snapchat', 'gmail', 'email', 'e mail', 'twitter', 'linkedin', 'whatsapp', 'telegram', 'فيسبوك', 'الفيسبوك', 'انستغرام',
  'browser', 'navigateur', 'navegador', 'cache', 'cookies', 'google', 'youtube',
  'photos?', 'pictures?', 'fotos?', 'الصور', 'تصاوري', 'tsawer', 'from my phone', 'de mon telephone', 'del movil', 'de mi telefono', 'mn tilifoun', 'من التيليفون', 'من الهاتف',
  'contract', 'contrat', 'contrato', 'عقد', 'العقد', 'l3a9d', '3a9d', 'record', 'criminal', 'casier', 'antecedentes', 'fingerprints?', 'empreintes?', 'huellas?', 'expediente',
  'السجل العدلي', 'سجل عدلي', 'السوابق', 'البصمات', 'بصماتي', 'list', 'liste', 'lista', 'اللائحه', 'لائحه', 'app', 'application', 'aplicacion', 'password', 'mot de passe', 'contrasena',
];
/** Someone else did the erasing ("my boss deleted my contract"): a complaint, not a request. */
const THIRD_PARTY = [
  'shop', 'store', 'bank', 'banque', 'banco', 'school', 'ecole', 'escuela', 'hospital', 'hopital', 'company', 'entreprise', 'empresa', 'agency', 'agence', 'agencia', 'association', 'asociacion',
  'phone', 'my phone', 'telephone', 'portable', 'movil', 'celular', 'tilifoun', 'التيليفون', 'تيليفوني', 'الهاتف', 'هاتفي', 'whatsapp', 'the app',
  'boss', 'employer', 'landlord', 'patron\\w*', 'employeur', 'proprio\\w*', 'jefe', 'jefa', 'empleador', 'casero', 'lpatron', 'الباطرون', 'المشغل', 'مول الدار', 'مولات الدار',
];
/** Erasing done (past tense): with a third party before it, someone else's act. */
const ERASED = [
  'deleted', 'erased', 'removed', 'wiped', 'tore', 'torn', 'a supprime', 'ont supprime', 'a efface', 'ont efface', 'a dechire', 'borro', 'borraron', 'ha borrado', 'elimino', 'rompio',
  'حذف', 'حذفو', 'مسح', 'مسحو', 'قطع', 'شرط', 'ms7', 'ms7o', 'msa7', 'mse7', 'mseh', 'msah', 'ms7ha', 'supprima', 'supprimah',
];
/** The user's own erasing by mistake ("I deleted your message by accident"), or forgetting: no request to erase. */
const MISTAKE = ['by mistake', 'by accident', 'accidentally', 'sans faire expres', 'par erreur', 'par accident', 'por error', 'sin querer', 'por accidente', 'بالخطا', 'بالغلط', 'bl ghalat', 'blghalat'];
const ERASED_BY_ME = [
  'i deleted', 'i erased', 'i removed', 'i delete', 'i erase', 'i don delete', 'i don erase', 'j ai efface', 'j ai supprime', 'j ai perdu', 'borre', 'elimine', 'حذفت', 'مسحت', 'ms7t', 'msa7t', 'mse7t', 'msaht', 'msht', 'supprimit', 'tsuprimali', 'tmsa7li', 'تمسح ليا', 'تحذف ليا',
];
const FORGOT = ['i forgot', 'i forget', 'j ai oublie', 'j oublie', 'se me olvido', 'olvide', 'me olvide', 'نسيت', 'nsit', 'tnsa li', 'تنسى ليا'];
/** Asking for a message again: no request to erase. */
const RESEND = [
  'resend', 'send (?:it |am |that |dat |that one )?again', 'renvoy\\w*', 'renvoie\\w*', 'reenvi\\w*', 'repet\\w*', 'repit\\w*', 'repeat\\w*', 'say (?:it )?again', 'اعاده ارسال\\p{L}*', 'عاود\\p{L}*', '3awd\\w*', 'aawd\\w*',
];
/** "Forget it, thanks": letting a topic go, not a data request. */
const LET_GO = ['forget that', 'another question', 'autre question', 'otra pregunta', 'olvida eso', 'سؤال اخر', 'سوال اخر', 'انسى هادي', 'انسى هاد', 'forget it', 'forget am', 'forget about it', 'never mind', 'nevermind', 'laisse tomber', 'laissez tomber', 'oublie ca', 'olvidalo', 'dejalo', 'khliha', 'khalliha', 'safi khliha', 'خليها', 'خلاص خليها', 'انسى', 'انسا'];
/** A question to the bot rather than an order ("can I", "how do I", "is it possible"). */
const HEDGE = ['how', 'can i', 'could i', 'is it possible', 'comment', 'est ce que je peux', 'je peux', 'puis je', 'como', 'se puede', 'puedo', 'wach n9der', 'kifach', 'كيف', 'هل يمكن\\p{L}*', 'واش نقدر', 'كيفاش'];
/** Please: a polite order is still an order. */

const RE_ERASE = word(ERASE);
const RE_ERASE_DATA = near(ERASE, DATA, 30);
const RE_DATA_ERASE = near(DATA, ERASE, 40);
const RE_FORGET_ME = word(FORGET_ME);
const RE_NOT_KEEP = new RegExp(` ${any(NOT_KEEP)} `, 'u');
const RE_LATER = word(LATER);
const RE_OTHER_ACCOUNT = word(OTHER_ACCOUNT);
const RE_THIRD_PARTY_ERASE = near(THIRD_PARTY, ERASED, 25);
/** Said to Dalil, or about what the user sent it: "here", "you", "what I sent you". */
const RE_TO_DALIL = word([
  'here', 'ici', 'aqui', 'hna', 'هنا', 'you', 'vous', 'ustedes', 'dalil', 'to you', 'i sent', 'i wrote', 'j ai envoye\\w*', 'j ai ecrit', 'que (?:te|os|les) (?:mande|envie|escribi)',
  'لكم', 'ليكم', 'ليك', 'لك', 'ارسلت\\p{L}*', 'صيفطت\\p{L}*', 'كتبت\\p{L}*', 'sifte?t\\w*', 'ktbt\\w*', 'ktebt\\w*', 'lik', 'likom',
]);
/** "Why was my message deleted?": an erase that happened, not one asked for. */
const RE_ERASE_HAPPENED = near(['why', 'pourquoi', 'porque', 'por que', 'علاش', 'لماذا', '3lach', 'a ete', 'ont ete', 'was', 'were', 'has been', 'have been', 'fue', 'fueron', 'ha sido', 'تم', 'تمسحات', 'tms7at'], [...ERASED, 'supprime\\w*', 'efface\\w*', 'borrad\\w*', 'eliminad\\w*', 'حذف\\p{L}*', 'مسح\\p{L}*'], 20);
const RE_NOT_A_REQUEST = new RegExp(`${near(ERASED_BY_ME, MISTAKE, 40).source}|${word(RESEND).source}| ${any(FORGOT)} `, 'u');
const RE_LET_GO = word(LET_GO);
const RE_HEDGE = new RegExp(`^ ${any(HEDGE)} `, 'u');
const RE_HEDGE_ANY = word(HEDGE);

/**
 * What a message says about erasing: `erase` (a plain request: erase now), `confirm` (it may be
 * one: ask first), `privacy` (a question about erasing later), `other-account` (another service's
 * account, or a record Dalil does not hold: a contract, a criminal record), `let-go` ("forget it,
 * thanks"), `not-a-request` (an erase done by mistake, a message to send again), or undefined
 * (nothing about erasing).
 */
export type ForgetReading = 'erase' | 'confirm' | 'privacy' | 'other-account' | 'let-go' | 'not-a-request';

export function readForget(text: string): ForgetReading | undefined {
  const p = plainText(text);
  if (RE_NOT_A_REQUEST.test(p) || RE_ERASE_HAPPENED.test(p)) return 'not-a-request';
  const erase = RE_ERASE.test(p);
  const forgetMe = RE_FORGET_ME.test(p);
  const notKeep = RE_NOT_KEEP.test(p);
  if (!erase && !forgetMe && !notKeep) {
    return RE_LET_GO.test(p) ? 'let-go' : undefined;
  }
  const toDalil = RE_TO_DALIL.test(p);
  if ((RE_OTHER_ACCOUNT.test(p) || RE_THIRD_PARTY_ERASE.test(p)) && !toDalil) return 'other-account';
  if (RE_LATER.test(p)) return 'privacy';
  const data = RE_ERASE_DATA.test(p) || RE_DATA_ERASE.test(p);
  if (RE_LET_GO.test(p) && !data && !notKeep) return 'let-go';
  const hedged = RE_HEDGE.test(p) || (RE_HEDGE_ANY.test(p) && / (?:i|je|yo|ana|انا) /u.test(p) && !/ (?:you|vous|tu|ustedes|nta|ntouma|انت|انتم) /u.test(p));
  if ((erase && data) || forgetMe || (notKeep && (erase || data))) return hedged ? 'confirm' : 'erase';
  return 'confirm';
}

// ---------------------------------------------------------------- crime, other countries

const FAKE = ['fake', 'false', 'forged', 'faux', 'fausse\\w*', 'falsifi\\w*', 'falso', 'falsa', 'falsos', 'falsas', 'mzawr\\w*', 'mzour\\w*', 'mzwr\\w*', 'مزور\\p{L}*', 'مزيف\\p{L}*', 'مزوره', 'tchi\\w*', 'ta9lid\\w*'];
const DOCUMENT = ['passports?', 'passeports?', 'pasaportes?', 'pasport\\w*', 'paspor\\w*', 'cards?', 'cartes?', 'tarjetas?', 'karta', 'lkarta', 'papers?', 'papiers?', 'papeles', 'documents?', 'documentos?', 'visas?', 'id', 'permis', 'diploma\\w*', 'diplome\\w*', 'lwra9', 'wra9', 'lbasbor', 'basbor', 'باسبور\\p{L}*', 'الباسبور', 'جواز\\p{L}*', 'وثائق', 'وثيقه', 'بطاقه', 'الكارط', 'كارط\\p{L}*', 'ورا?ق', 'اوراق', 'لوراق', 'فيزا'];
const BRIBE = ['bribe\\w*', 'soudoy\\w*', 'pot de vin', 'sobornar', 'soborn\\w*', 'coima', 'corromp\\w*', 'corrupt the', 'rachwa', 'ra4wa', 'rchwa', 'رشوه', 'رشوة', 'نرشي', 'ارشي', 'نعطي القهوه', 'n3ti lqahwa', 'ndir lqahwa'];
const CROSS = ['smuggl\\w*', 'passeurs?', 'patera', 'pateras', 'zodiac', 'boat', 'bateau', 'barco', 'lbabor', 'hrig', '7rig', 'lhrig', 'l7rig', 'الحريك', 'حريك', 'نحرك', 'n7re9', 'nhrg', 'ydwzni', 'idwzni', 'ydawezni', 'يدوزني', 'يدخلني', 'cross\\w*', 'traverser', 'cruzar', 'passer', 'jump the fence', 'sauter', 'saltar', 'la valla', 'le grillage'];
const EUROPE = ['ceuta', 'sebta', 'sabta', 'melilla', 'mlilia', 'spain', 'espagne', 'espana', 'sbanya', 'sbania', 'spania', 'tarifa', 'europe', 'europa', 'lorop\\w*', 'سبته', 'سبتة', 'مليليه', 'مليلية', 'اسبانيا', 'سبانيا', 'اوروبا', 'لوروب\\p{L}*', 'الضفه', 'canaries', 'canarias', 'italy', 'italie', 'italia'];
const PAY = ['pay', 'paye\\w*', 'payer', 'pagar', 'pago', 'money', 'argent', 'dinero', 'flous', 'lflous', 'b lflous', 'فلوس', 'بالفلوس', 'how much', 'combien', 'cuanto', 'ch7al', 'chhal', 'شحال', 'بشحال', 'price', 'prix', 'precio', 'who', 'qui', 'quien', 'busco', 'cherche', 'find', 'chi wa7ed', 'شي واحد', 'واحد', 'contact', 'number of', 'numero de'];
const BUY = ['buy', 'acheter', 'achete\\w*', 'comprar', 'compro', 'sell', 'vend\\w*', 'make', 'faire', 'fabriquer', 'hacer', 'get', 'avoir', 'conseguir', 'nchri', 'nechri', 'nchr\\w*', 'شري', 'نشري', 'اشتري', 'أشتري', 'يبيع', 'يصاوب', 'يدير', 'ydir', 'ysawb'];

const RE_FAKE_DOC = new RegExp(`(?:${near(FAKE, DOCUMENT, 25).source}|${near(DOCUMENT, FAKE, 12).source})`, 'u');
const RE_BRIBE = word(BRIBE);
const RE_CROSS_EUROPE = near(CROSS, EUROPE, 40);
const RE_PAY = word(PAY);
const RE_BUY = word(BUY);

const ABROAD = [
  'france', 'francia', 'frans\\w*', 'فرنسا', 'spain', 'espagne', 'espana', 'اسبانيا', 'sbanya', 'italy', 'italie', 'italia', 'ايطاليا', 'germany', 'allemagne', 'alemania', 'المانيا', 'almania',
  'canada', 'كندا', 'uk', 'united kingdom', 'royaume uni', 'angleterre', 'england', 'reino unido', 'inglaterra', 'بريطانيا', 'usa', 'us', 'america', 'amerique', 'etats unis', 'estados unidos', 'امريكا',
  'belgi\\w*', 'بلجيكا', 'holland\\w*', 'netherlands', 'pays bas', 'الخليج', 'dubai', 'qatar', 'قطر', 'دبي', 'schengen', 'شنغن', 'شينغن', 'europe', 'europa', 'اوروبا', 'portugal', 'suisse', 'switzerland', 'suiza', 'sweden', 'suede', 'australia', 'australie',
];
const ABROAD_TOPIC = ['visas?', 'visado', 'visados', 'فيزا', 'الفيزا', 'تاشيره', 'التاشيره', 'التاشيرة', 'تأشيرة', 'asylum', 'asile', 'asilo', 'لجوء', 'اللجوء', 'lluju2', 'refugee status', 'express entry', 'immigrat\\w*', 'immigr\\w*', 'emigr\\w*', 'green card', 'lottery', 'loterie', 'work permit in', 'travailler en', 'trabajar en', 'study in', 'etudier en'];
const RE_ABROAD = new RegExp(` ${any(ABROAD_TOPIC)} (?:.{0,30}? )?${any(ABROAD)} `, 'u');
const RE_ABROAD_BEFORE = new RegExp(` ${any(['schengen', 'french', 'spanish', 'italian', 'german', 'canadian', 'british', 'us', 'american', 'european', 'شنغن', 'شينغن'])} ${any(['visas?', 'asylum', 'فيزا', 'تاشيره'])} `, 'u');
/** "asylum ... in Germany" etc.: a preposition before the country marks the destination. */
const RE_ABROAD_IN = new RegExp(` ${any(['in', 'en', 'au', 'aux', 'a', 'to', 'pour', 'para', 'l', 'f', 'fi', 'في', 'ل', 'الى', 'dyal', 'ديال', 'de', 'for', 'go'])} (?:la |le |el |l )?${any(ABROAD)} `, 'u');

/** Schengen is never Morocco's. */
const RE_SCHENGEN = word(['schengen', 'شنغن', 'شينغن']);

/** Why an out-of-scope answer should say more: a request for a crime, or another country's visas or asylum. */
export function readRefusal(text: string): 'crime' | 'other-country' | undefined {
  const p = plainText(text);
  if (RE_FAKE_DOC.test(p) && (RE_BUY.test(p) || RE_PAY.test(p) || /^ \S+ \S+ (?:\S+ )?$/u.test(p) || / (?:where|ou|donde|fin|فين|اين|أين|how|comment|como|kifach|كيفاش) /u.test(p))) return 'crime';
  if (RE_BRIBE.test(p)) return 'crime';
  if (RE_CROSS_EUROPE.test(p) && RE_PAY.test(p)) return 'crime';
  if ((RE_ABROAD.test(p) && (RE_ABROAD_IN.test(p) || RE_SCHENGEN.test(p))) || RE_ABROAD_BEFORE.test(p)) return 'other-country';
  return undefined;
}

// ---------------------------------------------------------------- nonsense

/** Words that carry no meaning on their own: laughter, fillers, interjections. */
const FILLER = new Set([
  'ok', 'okay', 'okey', 'oki', 'lol', 'mdr', 'ptdr', 'what', 'hm', 'hmm', 'ehn', 'eh', 'ah', 'oh', 'ooh', 'wesh', 'blabla', 'bla', 'haha', 'hihi', 'jaja', 'jeje', 'jiji', 'xd', 'vale', 'ya', 'pff', 'bof', 'euh', 'mmm', 'zzz',
  'هه', 'ههه', 'خخخ', 'واو', 'اه', 'وا',
]);

/**
 * Whether a message is nonsense: every word is laughter, a filler or a letter run (`empty`), or
 * some are unknown to the matcher (`known`: normalised words of the phrases) and none is a known
 * word of substance (`unknown`: the caller checks the classifier does not read a misspelt topic).
 */
export function isNonsense(words: readonly string[], known: ReadonlySet<string>): 'empty' | 'unknown' | undefined {
  if (words.length === 0) return undefined;
  let substance = 0;
  let unknown = 0;
  for (const w of words) {
    const letters = w.replace(/(\p{L})\1+/gu, '$1');
    if (FILLER.has(w) || FILLER.has(letters) || /^(?:h|j|k|x|a|o|e|z|ه|خ|ك|ب|ا)+$/u.test(letters) || /^(?:ha|ja|je|hi|he|ah|ka|ke)+h?$/u.test(w)) continue;
    if (/^\d+$/u.test(w)) return undefined;
    if (known.has(w)) substance++;
    else unknown++;
  }
  if (substance > 0) return undefined;
  // Only laughter and fillers: nonsense. Unknown words too: nonsense unless the classifier reads a misspelt topic.
  return unknown === 0 ? 'empty' : 'unknown';
}

// ---------------------------------------------------------------- status, a modifier

/**
 * Ways of saying one's status ("I have no papers", "my visa expired", "sans papiers"): they
 * qualify a need, they are not one. Removed before the need is matched again.
 */
const STATUS = [
  // en
  "(?:i )?(?:have |got |get |dey )?(?:no|without|don t have|dont have|do not have|no get) (?:any )?(?:papers?|paper|documents?|residence (?:card|permit)|card|visa|id)",
  '(?:i am |i m |im |as an? |being )?(?:undocumented|sans papiers?|illegal(?:ly)?(?: here)?|irregular(?:ly)?)',
  'my (?:visa|card|residence card|permit|papers?) (?:has |have |is |are |don )?(?:expired|expire|run out|ran out|finished)',
  'visa (?:don )?expire(?:d)?(?: long time)?',
  // fr
  "(?:je suis |j suis )?(?:sans papiers?|sans titre de sejour|sans carte de sejour|sans carte|sans document\\w*|en situation irreguliere|irregulier\\w*|clandestin\\w*)",
  "(?:je n ai |j ai )?(?:pas|plus) de (?:papiers?|carte de sejour|carte|titre de sejour|documents?|visa)",
  'mon (?:visa|titre de sejour|carte de sejour) (?:a |est )?expire\\w*',
  // es
  '(?:estoy |soy )?(?:sin papeles|sin documentos|sin tarjeta(?: de residencia)?|indocumentad\\w*|irregular(?:es)?)',
  'no tengo (?:papeles|documentos|tarjeta(?: de residencia)?|permiso de residencia|visa)',
  'mi (?:visa|tarjeta|permiso) (?:ha |se ha |esta )?(?:caducad\\w*|vencid\\w*|expirad\\w*)',
  // arabizi
  "(?:ana )?(?:bla|bila|bdoun|mn ghir) (?:wra9|lwra9|lwraq|papiers?|karta|lkarta|carte|passport|basbor)",
  "ma3ndich (?:lwra9|wra9|lkarta|karta|lwraq|papiers?|la carte|carte|visa)",
  'ma 3ndich (?:lwra9|wra9|lkarta|karta|papiers?)',
  'visa (?:dyali )?(?:salat|tsalat|mchat)',
  // ar (Darija and MSA)
  '(?:انا )?(?:بلا|بدون|من غير|بلا ما عندي) (?:وراق|اوراق|لوراق|الوراق|كارط|الكارط|اوراق اقامه|وثائق|وثائق اقامه|بطاقه اقامه|اقامه|باسبور|اوراق ثبوتيه)',
  'ما عنديش (?:الوراق|وراق|لوراق|الكارط|كارط|الكارطه|لكارط|البطاقه)',
  'ماعنديش (?:الوراق|وراق|لوراق|الكارط|كارط)',
  '(?:ليست|ليس) (?:لدي|لدى|عندي|معي|لديه|لديها|عنده|عندها) (?:اي )?(?:وثائق|اوراق|بطاقه|اقامه)(?: اقامه| ثبوتيه| اقامة)?',
  'لا (?:املك|امتلك|احمل) (?:اي )?(?:وثائق|اوراق|بطاقه|اقامه)(?: اقامه| ثبوتيه)?',
  '(?:في|فى) وضعيه غير (?:نظاميه|قانونيه)',
  'وضعيتي غير (?:نظاميه|قانونيه)',
  '(?:مقيم|مهاجر) غير (?:نظامي|شرعي|قانوني)',
  'الفيزا (?:ديالي )?(?:سالات|تسالات|انتهت)',
  '(?:انتهت|انتهى) (?:صلاحيه )?(?:تاشيرتي|اقامتي|بطاقتي|الفيزا)',
];
/** Arabic script: "and"/"so" join the status to what comes before ("وليست لدي", "وبلا وراق"). */
const RE_STATUS = new RegExp(` (?:[وف](?=[\u0600-\u06FF]))?${any(STATUS)}(?= )`, 'gu');

/** The message without its statements of status, or undefined when it states none. */
export function withoutStatus(text: string): string | undefined {
  const p = plainText(text);
  RE_STATUS.lastIndex = 0;
  if (!RE_STATUS.test(p)) return undefined;
  RE_STATUS.lastIndex = 0;
  return p.replace(RE_STATUS, ' ').replace(/\s+/gu, ' ').trim();
}

// ---------------------------------------------------------------- being held

/** Being held (rétention, a police cell): what one needs while held is a right of detention. */
const HELD = [
  'detention', 'detained', 'detenu\\w*', 'retention', 'retenu\\w*', 'retencion', 'retenid\\w*', 'detenid\\w*', 'centro de internamiento',
  'm7jouz\\w*', 'm7tajz\\w*', 'm7tajez\\w*', 'mahjouz\\w*', 'محتجز\\p{L}*', 'محجوز\\p{L}*', 'الاحتجاز', 'فالاحتجاز', 'مركز الاحتجاز', 'معتقل\\p{L}*',
];
const RE_HELD = word(HELD);

/** Whether the message speaks of someone being held (detention, rétention, a cell). */
export function speaksOfHeld(text: string): boolean {
  return RE_HELD.test(plainText(text));
}
