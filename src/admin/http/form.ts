/**
 * Reading form and query values, which express gives as `unknown`.
 */

/** A string value, or '' for anything else. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A repeated field as a list (one value gives a list of one). */
export const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/** The body of a parsed form. */
export const formOf = (req: { body?: unknown }): Record<string, unknown> =>
  // No body, or one in another format (JSON, text): an empty form, which the routes refuse politely.
  typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
