import { describe, expect, it } from 'vitest';
import { isNonsense, readForget, readRefusal, speaksOfHeld, withoutStatus } from '../../src/nlu/safety.js';

describe('readForget', () => {
  it.each([
    'please erase everything I wrote',
    'delete my messages now',
    'supprimez toute la conversation svp',
    'effacez mes donnees',
    'borra todo lo que te escribi',
    'olvidame',
    'oubliez-moi',
    'msa7 kolchi 3afak',
    'عافاك مسح كلشي',
    'احذف رسائلي من فضلك',
    'i dont want you to keep what i told you, remove it',
    'abeg no keep wetin i talk, clear am',
  ])('reads a plain erase request: %s', (text) => {
    expect(readForget(text)).toBe('erase');
  });

  it.each([
    ['how can I delete my data?', 'confirm'],
    ['supprimer', 'confirm'],
    ['can I delete my data later if I want?', 'privacy'],
    ['se puede borrar mis datos mas tarde?', 'privacy'],
    ['how do I delete my facebook account', 'other-account'],
    ['forget it, thanks', 'let-go'],
    ['laisse tomber merci', 'let-go'],
  ] as const)('tells other readings apart: %s', (text, reading) => {
    expect(readForget(text)).toBe(reading);
  });

  it.each([
    'remove my name and my number from your system',
    'je veux exercer mon droit a l oubli',
    'quiero que me borreis de vuestro sistema, mi cuenta tambien',
    'حيدو الرقم ديالي والرسايل من عندكم',
    'بغيت نتمسح من السيستيم ديالكم',
    'شيل كلشي اللي قلت ليك',
    '7ydo kolchi dyali mn 3ndkom',
    'bghit tms7o ga3 lmessages',
    'أتلفوا كل بياناتي',
    'scrub my whole history please',
  ])('reads erase requests in other words (or asks first): %s', (text) => {
    expect(['erase', 'confirm']).toContain(readForget(text));
  });

  it.each([
    ['the landlord deleted our lease from his computer and says we never lived there', 'other-account'],
    ['mi jefe borro el contrato de trabajo', 'other-account'],
    ['can i clear my criminal record in morocco', 'other-account'],
    ['remove my name from the food aid list please', 'other-account'],
    ['i deleted your answer by mistake, can you send it again', 'not-a-request'],
    ['efface ton dernier message par erreur, tu peux le repeter', 'not-a-request'],
    ['i forgot what you said about the card, delete nothing', 'not-a-request'],
  ] as const)('knows an erase that is no request to Dalil: %s', (text, reading) => {
    expect(readForget(text)).toBe(reading);
  });

  it('does not read Pidgin "comot" (come out) as erasing', () => {
    expect(readForget('my guy dey bleed, blood dey comot')).toBeUndefined();
    expect(readForget('abeg comot all my details from una system')).toBe('erase');
  });

    it('reads a bare "account" as Dalil\'s, a named service as another', () => {
    expect(readForget('delete my account and everything in it')).toBe('erase');
    expect(readForget('delete my instagram account and everything in it')).toBe('other-account');
  });

  it('says nothing about messages without erasing', () => {
    expect(readForget('how do I renew my residence card')).toBeUndefined();
  });
});

describe('readRefusal', () => {
  it.each([
    ['where can i buy a fake passport', 'crime'],
    ['je veux acheter une fausse carte de sejour', 'crime'],
    ['how to bribe a policeman', 'crime'],
    ['busco un barco para cruzar a ceuta, cuanto cuesta', 'crime'],
    ['visa pour la france', 'other-country'],
    ['asylum in germany, what are the conditions', 'other-country'],
    ['كيفاش ناخد فيزا شنغن', 'other-country'],
  ] as const)('%s -> %s', (text, kind) => {
    expect(readRefusal(text)).toBe(kind);
  });

  it.each(['my visa expired, what can I do', 'I want asylum in Morocco', 'the police took my passport'])('leaves Moroccan questions alone: %s', (text) => {
    expect(readRefusal(text)).toBeUndefined();
  });
});

describe('isNonsense', () => {
  const known = new Set(['residence', 'card', 'hello', 'ok', 'merci']);
  it('finds laughter, fillers and unknown letters', () => {
    expect(isNonsense(['hhhhh'], known)).toBe('empty');
    expect(isNonsense(['ok', 'ok', 'lol'], known)).toBe('empty');
    expect(isNonsense(['asdkj', 'qwpeoi'], known)).toBe('unknown');
  });
  it('keeps a word of substance', () => {
    expect(isNonsense(['ok', 'merci'], known)).toBeUndefined();
    expect(isNonsense(['residence', 'card'], known)).toBeUndefined();
  });
});

describe('withoutStatus', () => {
  it.each([
    ['I have no papers, can I see a doctor', 'can i see a doctor'],
    ['je suis sans papiers, mon bebe peut etre vaccine ?', 'mon bebe peut etre vaccine'],
    ['no tengo papeles y quiero estudiar arabe', 'y quiero estudiar arabe'],
    ['ma3ndich lwra9 wach n9der nmchi l sbitar', 'wach n9der nmchi l sbitar'],
    ['ليست لدي وثائق إقامة، هل يمكنني العلاج', 'هل يمكنني العلاج'],
  ])('sets the status aside: %s', (text, rest) => {
    expect(withoutStatus(text)).toBe(rest);
  });
  it('sets aside a status joined by "and" in Arabic script', () => {
    expect(withoutStatus('صديقي مريض وليست لديه أوراق هل يراه طبيب')).toBe('صديقي مريض هل يراه طبيب');
  });
  it('is undefined when no status is said', () => {
    expect(withoutStatus('can I see a doctor')).toBeUndefined();
  });
});

describe('speaksOfHeld', () => {
  it.each(['my brother is in detention and sick', 'sa7bi m7tajz f lcommissariat', 'صديقي محتجز ومريض', 'mi amigo esta retenido'])('finds being held: %s', (text) => {
    expect(speaksOfHeld(text)).toBe(true);
  });
  it('is false for a need alone', () => {
    expect(speaksOfHeld('can I see a doctor without papers')).toBe(false);
  });
});
