/**
 * Work that may outlive the HTTP request that started it (a slow turn whose reply goes out through
 * the platform's API after the webhook was answered). Adapters run each message's work through a
 * `TaskTracker`, so that a graceful shutdown can wait for it before closing the store.
 */

/** Counts work in flight and tells when there is none. */
export interface TaskTracker {
  /** Runs `work`, counting it as in flight until it settles; resolves or rejects as it does. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Tasks in flight now. */
  active(): number;
  /** Resolves `true` once no task is in flight, or `false` after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean>;
}

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

/** A tracker that only runs the work (adapters built without one, e.g. in tests). */
export const untracked: TaskTracker = {
  run: (work) => work(),
  active: () => 0,
  idle: async () => true,
};
