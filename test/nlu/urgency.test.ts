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
