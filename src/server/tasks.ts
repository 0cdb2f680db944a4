import type { TaskTracker } from '../domain/index.js';

/**
 * Work that may outlive the HTTP request that started it (a slow turn whose reply goes out through
 * the platform's API after the webhook was answered). Adapters run each message's work through a
 * `TaskTracker`, so that a graceful shutdown can wait for it before closing the store.
 */

/** Creates a tracker. */
export function createTaskTracker(): TaskTracker {
  let active = 0;
  let waiters: Array<() => void> = [];
  const settle = (): void => {
    active -= 1;
    if (active === 0) {
      const ready = waiters;
      waiters = [];
      for (const w of ready) w();
    }
  };
  return {
    async run(work) {
      active += 1;
      try {
        return await work();
      } finally {
        settle();
      }
    },
    active: () => active,
    idle(timeoutMs) {
      if (active === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== done);
          resolve(false);
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          resolve(true);
        };
        waiters.push(done);
      });
    },
  };
}
