import { describe, expect, it } from 'vitest';
import { detectUrgency, urgencyPatterns } from '../../src/nlu/index.js';

describe('detectUrgency', () => {
  const cases: Array<[string, string]> = [
    ["la police m'a arrêté ce matin", 'arrest'],
    ['les flics m ont arrete devant la gare', 'arrest'],
    ['police arrested my brother', 'arrest'],
    ['me detuvieron ayer en la calle', 'arrest'],
    ['l7bs', 'arrest'],
    ['bolis chedni', 'arrest'],
    ['البوليس شدني فالزنقة', 'arrest'],
    ['mon mari me frappe', 'violence'],
    ['he hits me every night', 'violence'],
    ['mi marido me pega', 'violence'],
    ['رجل يضربني', 'violence'],
    ['rajli kaydrbni', 'violence'],
    ['la patronne a pris mon passeport', 'trafficking'],
    ['they force me into prostitution', 'trafficking'],
    ['me quitaron el pasaporte', 'trafficking'],
    ['خدات ليا الباسبور', 'trafficking'],
    ['il y a un enfant seul à la gare', 'child-alone'],
    ['a child alone at the bus station', 'child-alone'],
    ['hay un niño solo en la calle', 'child-alone'],
    ['طفل صغير بوحدو فالمحطة', 'child-alone'],
    ['elle saigne beaucoup', 'medical'],
    ['accouchement maintenant', 'medical'],
    ['my wife is bleeding', 'medical'],
    ['hay mucha sangre', 'medical'],
    ['7amla w kat9tar', 'medical'],
    ['مراتي فيها نزيف', 'medical'],
  ];
  it.each(cases)('%s -> %s', (text, kind) => {
    expect(detectUrgency(text)).toBe(kind);
  });

  it('stays silent on ordinary questions', () => {
    for (const text of [
      'comment renouveler ma carte de sejour',
      'how do i register my baby',
      'donde puedo aprender arabe',
      'بغيت نتعلم الدارجة',
      'bghit lwra9',
      'quels sont mes droits',
    ]) {
      expect(detectUrgency(text), text).toBeUndefined();
    }
  });

  // Worded without the phrases of the data file: a danger word near an immediacy or first-person cue.
  const paired: Array<[string, string]> = [
    ['the gendarmes are loading people into vans at the station right now', 'arrest'],
    ['lboulis jm3o ga3 nas dyal l7ay daba', 'arrest'],
    ['الدرك نقلونا فحافلة ولا نعرف الى اين', 'arrest'],
    ['nos suben a un autobus en la estacion, ayuda', 'arrest'],
    ['my brother-in-law is punching me, please', 'violence'],
    ['des hommes avec des batons tapent sur tout le monde devant le foyer maintenant', 'violence'],
    ['wa7d rajl 3ndo sekkin kaytb3ni, ana khayf', 'violence'],
    ['the man who brought us says we owe him and must work until we pay before he lets us go', 'trafficking'],
    ['la patronne garde mon passeport et ne me laisse pas sortir', 'trafficking'],
    ['كيجبروها تخدم مع الرجال بزز منها', 'trafficking'],
    ['a toddler is wandering alone near the port', 'child-alone'],
    ['tengo 14 años y estoy sola en la calle', 'child-alone'],
    ['lqina wa7d drri sghir bou7do f lghaba', 'child-alone'],
    ['my uncle swallowed a lot of pills', 'medical'],
    ['ma soeur ne respire presque plus', 'medical'],
    ['مراتي ما كتفيقش وجهها زرق', 'medical'],
    ['sa7bi kaysil mno ddem bzaf', 'medical'],
    ['انا مجروح فراسي', 'medical'],
    ['estoy herida, ayuda', 'medical'],
  ];
  it.each(paired)('finds an emergency said in other words: %s -> %s', (text, kind) => {
    expect(detectUrgency(text)).toBe(kind);
  });

  it.each([
    'the police stopped me in 2021, can they still deport me',
    'j ai ete battu par un policier il y a 3 ans, je peux porter plainte',
    'hace dos años me quitaron el pasaporte en un trabajo, tengo derechos',
    'شدوني العام الماضي واش باقي فالملف',
    'what does trafficking mean',
    'c est quoi une personne disparue',
    'شنو معنى الاغتصاب الزوجي',
    'you are killing me with laughter',
    'me muero de calor aqui',
    'كنموت بالضحك عليك',
    'are there centres for children alone in rabat',
    'que pasa si la policia me detiene sin papeles',
    'what is the ambulance number, just in case',
    'my daughter walks to school alone, is that allowed',
    'i lost my son birth certificate',
  ])('leaves look-alikes alone: %s', (text) => {
    expect(detectUrgency(text)).toBeUndefined();
  });

  it('needs both words of a pair, and lets "now" overrule a general question', () => {
    expect(detectUrgency('police')).toBeUndefined();
    expect(detectUrgency('the police are here now')).toBe('arrest');
    expect(detectUrgency('a child is alone')).toBe('child-alone');
    expect(detectUrgency('are there shelters for a child alone')).toBeUndefined();
    expect(detectUrgency('are there people who can come, a child is alone here now')).toBe('child-alone');
  });

  it('reads a question about rights or a definition as an emergency only when it says it is happening now', () => {
    expect(detectUrgency('what rights do i have if the police arrest me')).toBeUndefined();
    expect(detectUrgency('what is a waiting zone at the airport')).toBeUndefined();
    expect(detectUrgency('estoy en la zona de espera y me quieren devolver esta noche, que derechos tengo')).toBe('arrest');
    expect(detectUrgency('the police are at the door now, what rights do i have')).toBe('arrest');
  });

  it('applies the priority order when several kinds match', () => {
    // violence outranks arrest in data/urgency.json
    expect(detectUrgency('la police m a arrete et il me frappe')).toBe('violence');
  });

  it('compiles every pattern of the data file to at least one word', () => {
    const patterns = urgencyPatterns();
    expect(patterns.length).toBeGreaterThan(100);
    for (const p of patterns) expect(p.words, p.source).toBeGreaterThan(0);
  });
});
