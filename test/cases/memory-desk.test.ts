/** The case desk's behaviour over the memory store (the embedded default). */
import { createMemoryCaseStore } from '../../src/cases/memory-store.js';
import { describeDesk } from './desk-suite.js';

describeDesk('memory', { make: async () => createMemoryCaseStore() });
