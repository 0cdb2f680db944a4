/**
 * The editors' workspace: drafts, validation by the rules of `content:check`, publishing (to the
 * content files on the embedded default, to overrides shared through Redis otherwise), the version
 * history with rollback, and reloading the knowledge base on every instance after a publish.
 */
import { todayIso } from '../../knowledge/index.js';
import { checkContentFile } from './check.js';
import { createDrafts } from './drafts.js';
import { createLiveContent } from './live.js';
import { readMarks } from './marks.js';
import { createPublishedContent } from './published.js';
import { createPublisher } from './publisher.js';
import { createSync } from './sync.js';
import type { Workspace, WorkspaceOptions } from './types.js';

export { answerHash, textHash } from './hashes.js';
export type { Draft, HistoryChange, HistoryEntry, PublishResult, SourceMark, Workspace, WorkspaceOptions } from './types.js';

/** Creates the workspace (call `start()` before serving). */
export function createWorkspace(opts: WorkspaceOptions): Workspace {
  const { store, logger } = opts;
  const now = opts.now ?? (() => new Date());
  const published = createPublishedContent(store, { contentDir: opts.knowledge.contentDir, intentsDir: opts.knowledge.intentsDir });
  const live = createLiveContent({ kb: opts.kb, knowledge: opts.knowledge, onPublished: opts.onPublished, published, logger, now });
  const sync = createSync({ store, live, published, logger, ...(opts.pollSeconds !== undefined ? { pollSeconds: opts.pollSeconds } : {}) });
  return {
    kb: () => live.kb(),
    version: () => live.version(),
    start: () => sync.start(),
    close: () => sync.close(),
    published: (key) => published.text(key),
    ...createDrafts(store, published, logger, now),
    check: (key, text) => checkContentFile(key, text, { kb: live.kb(), smsShortFormSegments: opts.knowledge.smsShortFormSegments, today: todayIso(now()) }),
    ...createPublisher({ store, published, live, logger, now }),
    marks: () => readMarks(store),
  };
}
