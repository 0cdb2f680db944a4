/** What the case desk's parts share, and the error for input it cannot act on. */
import { DalilError, type ConversationKey, type Lang, type PartnerRegistry, type Translate } from '../domain/index.js';
import type { DeliveryDeps } from './delivery.js';

/** A case worker's or the engine's input the desk cannot act on (named, never quoted). */
export class CaseInputError extends DalilError {
  constructor(message: string) {
    super(message);
    this.name = 'CaseInputError';
  }
}

/** What the desk's parts share. */
export interface DeskContext extends DeliveryDeps {
  partners: PartnerRegistry;
  t: Translate;
  retentionDays: number;
  auditDays: number;
  orgName(partnerId: string, lang: Lang): string;
  onCaseMoved?: CaseMovedHook;
}

/** What became of a case a user's conversation may still point at: closed, or moved to another partner. */
export type CaseMove = { closed: true } | { partnerId: string };

/** Tells the conversation side that a case was closed or transferred by a case worker. */
export type CaseMovedHook = (key: ConversationKey, ref: string, move: CaseMove) => void;

