/**
 * Opaque key of one conversation: a keyed hash (HMAC-SHA256) of channel and user id,
 * never the raw id. Made by a `ConversationKeyer` (`store.ts`). In a file of its own so that
 * the state, the store and the cases contract can all name it without importing one another.
 */
export type ConversationKey = string & { readonly __brand: 'ConversationKey' };
