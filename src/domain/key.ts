/**
 * Opaque key of one conversation: a keyed hash (HMAC-SHA256) of channel and user id,
 * never the raw id. Made by a `ConversationKeyer`. On its own so that the case contract and the
 * store can both name it without importing each other.
 */
export type ConversationKey = string & { readonly __brand: 'ConversationKey' };
