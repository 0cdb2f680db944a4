/** What the case desk's parts share, and the error for input it cannot act on. */
import { DalilError, type Lang, type PartnerRegistry, type Translate } from '../domain/index.js';
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
}

