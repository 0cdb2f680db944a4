/**
 * What the matcher's development tools share: the knowledge base loaded as production loads it
 * (configured content and intents), and evaluation rows read from a JSON-lines file.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { PROJECT_ROOT, loadConfig } from '../../src/config/index.js';
import { loadKnowledge } from '../../src/knowledge/index.js';
import type { KnowledgeBase } from '../../src/domain/index.js';

/** The knowledge base of the configured content and intents folders. */
export async function productionKnowledge(): Promise<KnowledgeBase> {
  const config = loadConfig();
  const { kb } = await loadKnowledge({ contentDir: config.contentDir, intentsDir: config.intentsDir, smsShortFormSegments: config.smsShortFormSegments, root: PROJECT_ROOT });
  return kb;
}

/** The objects of a JSON-lines file (blank lines skipped), relative paths from the working folder. */
export async function readJsonl<T>(file: string): Promise<T[]> {
  const text = await readFile(path.resolve(file), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}
