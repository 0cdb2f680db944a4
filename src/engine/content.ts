/**
 * Read-only look-ups in the knowledge base: answers with language fallback, topic labels,
 * organisations and their contacts, cities.
 */
import {
  CATEGORIES,
  LANGS,
  isTopicId,
  topicsOf,
  type CategoryId,
  type City,
  type GeoPoint,
  type KnowledgeBase,
  type Lang,
  type Organisation,
  type TopicAnswer,
  type TopicId,
} from '../domain/index.js';

/** An answer chosen for a user, and whether it is in another language than theirs. */
export interface PickedAnswer {
  answer: TopicAnswer;
  fallback: boolean;
}

/** Topics the engine answers itself, so they are listed even without an answer file. */
const ENGINE_TOPICS: ReadonlySet<TopicId> = new Set<TopicId>(['find-help']);

/**
 * The answer to show for `topic` in `lang`: the user's language, else French, else English,
 * else any other language. Draft answers are never shown.
 */
export function pickAnswer(kb: KnowledgeBase, topic: TopicId, lang: Lang): PickedAnswer | undefined {
  const byLang = kb.answers.get(topic);
  if (!byLang) return undefined;
  const order: Lang[] = [lang, 'fr', 'en', ...LANGS];
  for (const l of order) {
    const a = byLang.get(l);
    if (a && a.status !== 'draft') return { answer: a, fallback: l !== lang };
  }
  return undefined;
}

/** True when the topic can be shown: it has a non-draft answer, or the engine handles it. */
export function isAvailable(kb: KnowledgeBase, topic: TopicId): boolean {
  return ENGINE_TOPICS.has(topic) || pickAnswer(kb, topic, 'fr') !== undefined;
}

/** Topics of a category that can be shown, in menu order. */
export function availableTopics(kb: KnowledgeBase, category: CategoryId): TopicId[] {
  const listed = kb.categories.get(category) ?? topicsOf(category);
  return listed.filter((t) => isTopicId(t) && isAvailable(kb, t));
}

/** Categories with at least one topic to show, in menu order. */
export function availableCategories(kb: KnowledgeBase): CategoryId[] {
  return CATEGORIES.filter((c) => availableTopics(kb, c).length > 0);
}

/** The organisations of `ids` that exist in the knowledge base, in the given order. */
export function organisationsOf(kb: KnowledgeBase, ids: readonly string[]): Organisation[] {
  return ids.map((id) => kb.organisations.get(id)).filter((o): o is Organisation => o !== undefined);
}

/** What an organisation does, in `lang` or the closest language available. */
export function describe(org: Organisation, lang: Lang): string {
  for (const l of [lang, 'fr', 'en', ...LANGS] as Lang[]) {
    const d = org.description[l];
    if (d && d.trim()) return d.trim();
  }
  return '';
}

/** Great-circle distance in kilometres. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The city of the knowledge base nearest to a point, or undefined when there is none. */
export function nearestCity(kb: KnowledgeBase, point: GeoPoint): City | undefined {
  let best: City | undefined;
  let bestKm = Infinity;
  for (const city of kb.cities.values()) {
    const km = distanceKm(point, city.location);
    if (km < bestKm) {
      best = city;
      bestKm = km;
    }
  }
  return best;
}

/** A city's name in `lang`, or its id. */
export function cityName(kb: KnowledgeBase, cityId: string, lang: Lang): string {
  const city = kb.cities.get(cityId);
  return city?.names[lang] || city?.names.fr || cityId;
}
