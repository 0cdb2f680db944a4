/**
 * The few strings adapters write themselves (the engine writes everything else): the fallback
 * when the engine could not be reached, the "please type" answer to media, the SMS paging hint
 * and the label of WhatsApp's list button. Kept short, plain, and GSM-7 for fr/en/es.
 */
import { isLang, type Lang } from '../../domain/index.js';

/** Adapter strings, one per language. */
export interface AdapterStrings {
  /** Sent when the conversation could not be processed at all (the store is down ...). */
  apology: string;
  /** Sent for a sticker, voice note, photo ... when the engine has nothing to say about it. */
  pleaseType: string;
  /**
   * Ends an SMS page that has a next one. Holds the keyword the engine understands
   * (MORE / PLUS / المزيد / MAS); Spanish writes MAS without the accent to stay GSM-7.
   */
  moreHint: string;
  /** Label of the button that opens a WhatsApp list picker (at most 20 characters). */
  listButton: string;
}

export const ADAPTER_STRINGS: Record<Lang, AdapterStrings> = {
  fr: {
    apology: 'Désolé, un problème technique est survenu. Réessayez dans quelques minutes.',
    pleaseType: "Je ne peux lire que du texte. Écrivez votre question avec des mots, s'il vous plaît.",
    moreHint: 'Répondez PLUS pour la suite.',
    listButton: 'Choisir',
  },
  en: {
    apology: 'Sorry, something went wrong on our side. Please try again in a few minutes.',
    pleaseType: 'I can only read text. Please type your question.',
    moreHint: 'Reply MORE for the rest.',
    listButton: 'Choose',
  },
  ar: {
    apology: 'عذرًا، حدث خلل تقني. حاول مرة أخرى بعد بضع دقائق.',
    pleaseType: 'أستطيع قراءة النص فقط. من فضلك اكتب سؤالك.',
    moreHint: 'أرسل المزيد لقراءة الباقي.',
    listButton: 'اختر',
  },
  es: {
    apology: 'Lo sentimos, hubo un problema técnico. Vuelve a intentarlo en unos minutos.',
    pleaseType: 'Solo puedo leer texto. Por favor, escribe tu pregunta.',
    moreHint: 'Responde MAS para ver el resto.',
    listButton: 'Elegir',
  },
};

/** The supported language of a platform locale hint ("fr-FR", "ar", "es_MA"), if any. */
export function langOfLocale(hint: string | undefined): Lang | undefined {
  const base = hint?.trim().toLowerCase().split(/[-_]/)[0];
  return isLang(base) ? base : undefined;
}
