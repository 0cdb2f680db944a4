/**
 * A reviewer's checks of the directory, written into `content/organisations.yaml` as the
 * reviewer's action in the editors' app records them: a contact's `checked` and `checked_by`,
 * an organisation's `verified` and `verified_by`. The rest of the file (comments, order,
 * quoting) is kept as it was. Pure: text in, text out.
 */
import type { parseDocument } from 'yaml';
import { isMap, isSeq, yaml } from './yaml-lib.js';

/** Why a mark could not be written. */
export type DirectoryMarkError = 'not-yaml' | 'no-organisation' | 'no-contact' | 'no-reviewer';

/** The file with the mark written, or why it could not be. */
export type DirectoryMark = { text: string } | { error: DirectoryMarkError };

function organisationNode(text: string, orgId: string): { doc: ReturnType<typeof parseDocument>; index: number } | DirectoryMarkError {
  const doc = yaml().parseDocument(text);
  if (doc.errors.length > 0 || !isSeq(doc.contents)) return 'not-yaml';
  const index = doc.contents.items.findIndex((item) => isMap(item) && String(item.get('id')) === orgId);
  return index < 0 ? 'no-organisation' : { doc, index };
}

/**
 * The file with contact `contactIndex` (0-based, in file order) of organisation `orgId` marked
 * checked today by `reviewer`.
 */
export function markContactChecked(text: string, orgId: string, contactIndex: number, reviewer: string, today: string): DirectoryMark {
  if (reviewer.trim() === '') return { error: 'no-reviewer' };
  const found = organisationNode(text, orgId);
  if (typeof found === 'string') return { error: found };
  const { doc, index } = found;
  const contacts = doc.getIn([index, 'contacts']);
  if (!isSeq(contacts) || !Number.isInteger(contactIndex) || contactIndex < 0 || contactIndex >= contacts.items.length) return { error: 'no-contact' };
  doc.setIn([index, 'contacts', contactIndex, 'checked'], today);
  doc.setIn([index, 'contacts', contactIndex, 'checked_by'], reviewer.trim());
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }) };
}

/** The file with organisation `orgId`'s details marked verified today by `reviewer`. */
export function markOrganisationVerified(text: string, orgId: string, reviewer: string, today: string): DirectoryMark {
  if (reviewer.trim() === '') return { error: 'no-reviewer' };
  const found = organisationNode(text, orgId);
  if (typeof found === 'string') return { error: found };
  const { doc, index } = found;
  doc.setIn([index, 'verified'], today);
  doc.setIn([index, 'verified_by'], reviewer.trim());
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }) };
}
