/**
 * Small fixtures for the NLU tests: a handful of cities (the format of content/cities.yaml) and
 * training phrases for a few intents in the four languages, so that tests do not depend on the
 * knowledge base being written.
 */
import type { City, IntentId, Lang, TrainingPhrase } from '../../src/domain/index.js';

export const CITIES: City[] = [
  { id: 'rabat', names: { fr: 'Rabat', en: 'Rabat', ar: 'الرباط', es: 'Rabat' }, aliases: ['Rbat'], location: { lat: 34.02, lon: -6.84 } },
  { id: 'sale', names: { fr: 'Salé', en: 'Sale', ar: 'سلا', es: 'Salé' }, aliases: ['Sla'], location: { lat: 34.05, lon: -6.8 } },
  {
    id: 'casablanca',
    names: { fr: 'Casablanca', en: 'Casablanca', ar: 'الدار البيضاء', es: 'Casablanca' },
    aliases: ['Casa', 'Dar Bida', 'كازا'],
    location: { lat: 33.57, lon: -7.59 },
  },
  { id: 'tanger', names: { fr: 'Tanger', en: 'Tangier', ar: 'طنجة', es: 'Tánger' }, aliases: ['Tanja'], location: { lat: 35.76, lon: -5.83 } },
  { id: 'oujda', names: { fr: 'Oujda', en: 'Oujda', ar: 'وجدة', es: 'Uchda' }, aliases: ['Wajda'], location: { lat: 34.68, lon: -1.91 } },
  { id: 'fes', names: { fr: 'Fès', en: 'Fez', ar: 'فاس', es: 'Fez' }, aliases: ['Fes'], location: { lat: 34.03, lon: -5.0 } },
  { id: 'marrakech', names: { fr: 'Marrakech', en: 'Marrakesh', ar: 'مراكش', es: 'Marrakech' }, aliases: [], location: { lat: 31.63, lon: -8.0 } },
  { id: 'laayoune', names: { fr: 'Laâyoune', en: 'Laayoune', ar: 'العيون', es: 'El Aaiún' }, aliases: [], location: { lat: 27.13, lon: -13.16 } },
];

const RAW: Record<string, Partial<Record<Lang, string[]>>> = {
  'residence-permit': {
    fr: ['comment avoir la carte de sejour', 'renouveler ma carte de séjour', 'papiers pour la carte d immatriculation', 'ma karta expire bientot', 'titre de sejour combien ca coute'],
    en: ['how to get a residence card', 'renew my residence permit', 'documents for the resident card', 'my card expires soon', 'how much is the residence permit'],
    es: ['como saco la tarjeta de residencia', 'renovar la tarjeta de residencia', 'papeles para la tarjeta', 'se vence mi tarjeta de residencia', 'cuanto cuesta la tarjeta de residencia'],
    ar: ['كيف أحصل على بطاقة الإقامة', 'بغيت نجدد لاكارط', 'kifach ndir la carte de sejour', 'شنو خاص باش ندير بطاقة الإقامة', 'bghit n9ad lakarta'],
  },
  regularisation: {
    fr: ['regularisation des migrants cette annee', 'est ce qu il y a une regularisation', 'campagne de régularisation 2017', 'criteres de la regularisation', 'deposer un dossier de regularisation'],
    en: ['is there a regularisation campaign', 'regularization of migrants', 'who could apply for the 2014 regularisation', 'regularisation criteria', 'new regularization this year'],
    es: ['hay regularizacion', 'campaña de regularización', 'requisitos de la regularizacion', 'regularizacion de 2017', 'nueva regularizacion este año'],
    ar: ['تسوية الوضعية', 'واش كاينة تسوية جديدة', 'حملة التسوية 2017', 'شروط تسوية الوضعية', 'wach kayna tasswiya'],
  },
  'asylum-register': {
    fr: ['demander l asile au maroc', 'comment s inscrire au hcr', 'je veux l asile politique', 'demande d asile a rabat', 'enregistrement au HCR'],
    en: ['how to apply for asylum', 'register with unhcr', 'i want to claim asylum', 'asylum application in morocco', 'where is the unhcr office'],
    es: ['como pido asilo', 'registrarme en acnur', 'solicitar asilo en marruecos', 'quiero pedir asilo', 'donde esta acnur'],
    ar: ['كيف أطلب اللجوء', 'التسجيل في المفوضية', 'بغيت نطلب اللجوء', 'طلب اللجوء في الرباط', 'bghit ntsjel f lmofawadiya'],
  },
  'refugee-rights': {
    fr: ['droits des refugies', 'j ai le statut de réfugié quels droits', 'carte de refugie droits', 'obligations d un refugie', 'un refugie peut il travailler'],
    en: ['rights of a refugee', 'i am a recognised refugee what are my rights', 'refugee card rights', 'refugee duties', 'can a refugee work'],
    es: ['derechos de los refugiados', 'soy refugiado que derechos tengo', 'tarjeta de refugiado', 'deberes del refugiado', 'un refugiado puede trabajar'],
    ar: ['حقوق اللاجئ', 'عندي بطاقة اللاجئ شنو حقوقي', 'واجبات اللاجئ', 'واش اللاجئ يقدر يخدم', 'ana laji2 chno homa l7o9o9 dyali'],
  },
  'police-stop-arrest': {
    fr: ['la police m a arrete', 'controle de police sans papiers', 'les flics m ont embarque', 'arrete par la police que faire', 'police dans la rue'],
    en: ['police arrested me', 'stopped by the police without papers', 'the cops took me', 'arrested what are my rights', 'police in the street'],
    es: ['la policia me detuvo', 'control de policia sin papeles', 'me arrestaron', 'detenido que hago', 'policia en la calle'],
    ar: ['البوليس شدني', 'اعتقلتني الشرطة', 'bolis chedni', 'شدوني فالزنقة', 'lbolis chedouni bla sbab'],
  },
  greeting: {
    fr: ['bonjour', 'salut', 'bonsoir'],
    en: ['hello', 'hi', 'good morning'],
    es: ['hola', 'buenas', 'buenos dias'],
    ar: ['السلام عليكم', 'salam', 'مرحبا'],
  },
  thanks: {
    fr: ['merci', 'merci beaucoup', 'je vous remercie'],
    en: ['thanks', 'thank you', 'thank you so much'],
    es: ['gracias', 'muchas gracias', 'mil gracias'],
    ar: ['شكرا', 'choukran', 'الله يجازيك بخير'],
  },
  'out-of-scope': {
    fr: ['visa pour le canada', 'meteo demain', 'resultat du match', 'recette du couscous', 'travail a dubai'],
    en: ['visa for canada', 'weather tomorrow', 'football score', 'couscous recipe', 'job in dubai'],
    es: ['visado para canada', 'tiempo mañana', 'resultado del partido', 'receta de paella', 'trabajo en dubai'],
    ar: ['فيزا كندا', 'الطقس غدا', 'نتيجة الماتش', 'طريقة الكسكس', 'خدمة فدبي'],
  },
};

/** Training phrases of the fixture. */
export const PHRASES: TrainingPhrase[] = Object.entries(RAW).flatMap(([intent, byLang]) =>
  Object.entries(byLang).flatMap(([lang, list]) => (list ?? []).map((text) => ({ text, intent: intent as IntentId, lang: lang as Lang }))),
);
