/** Partner registries the case desk can be given before the editors' app keeps partners itself. */
import type { Partner, PartnerRegistry } from '../domain/index.js';

/**
 * A fixed list of partners. `main.ts` starts with `staticPartners([])` (no partner: no case can
 * be routed) until the editors' app provides the registry admins edit.
 */
export function staticPartners(partners: readonly Partner[]): PartnerRegistry {
  const list = Object.freeze(partners.map((p) => Object.freeze({ ...p })));
  const byId = new Map(list.map((p) => [p.id, p]));
  return { list: () => list, get: (id) => byId.get(id) };
}
