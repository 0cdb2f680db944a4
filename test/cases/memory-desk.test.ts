/** The case desk's behaviour and the store contract over the memory store (the embedded default). */
import { createMemoryCaseStore } from '../../src/cases/memory-store.js';
import { describeDesk } from './desk-suite.js';
import { describeStore } from './store-suite.js';

describeStore('memory', async (limits) => createMemoryCaseStore(limits));
describeDesk('memory', { make: async () => createMemoryCaseStore() });
