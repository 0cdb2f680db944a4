/**
 * Work that may outlive the HTTP request that started it (a slow turn whose reply goes out through
 * the platform's API after the webhook was answered). Channels run each message's work through a
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

/** A tracker that only runs the work (channels built without one, e.g. in tests). */
export const untracked: TaskTracker = {
  run: (work) => work(),
  active: () => 0,
  idle: async () => true,
};
