/**
 * The admin's one storage port: users, sessions, drafts, version history, published overrides,
 * missed questions, login counters, research counters (insights). Records are JSON values in named collections, some with a
 * lifetime. Two implementations: files under a data folder (the embedded default) and Redis.
 */

/** The collections the admin keeps. */
export const ADMIN_COLLECTIONS = [
  'users',
  'sessions',
  'drafts',
  'history',
  'overrides',
  'marks',
  'missed',
  /** Forget-me's way to a sender's missed questions: keyed reference + record id, nothing else. */
  'erasure',
  'imports',
  'limits',
  /** Devices that signed in to an account before (hashes only): they skip the account's backoff. */
  'devices',
  'meta',
  'insights',
  /** Partner organisations that take cases (see `src/admin/cases/partners.ts`). */
  'partners',
] as const;
export type AdminCollection = (typeof ADMIN_COLLECTIONS)[number];

/** Storage of the admin. Ids are any non-empty string up to 200 characters. */
export interface AdminStore {
  get<T>(collection: AdminCollection, id: string): Promise<T | undefined>;
  /** Writes a record; with `ttlSeconds` it disappears after that long. */
  put<T>(collection: AdminCollection, id: string, value: T, ttlSeconds?: number): Promise<void>;
  delete(collection: AdminCollection, id: string): Promise<void>;
  /** Every live record of a collection (no order). */
  list<T>(collection: AdminCollection): Promise<T[]>;
  /** Adds 1 to a counter and returns it; a new counter lives `ttlSeconds` when given. */
  incr(collection: AdminCollection, id: string, ttlSeconds?: number): Promise<number>;
  /**
   * Adds to named counters of one record (a hash of counters), in one batch; with `ttlSeconds` the
   * record disappears that long after this write.
   */
  addCounts(collection: AdminCollection, id: string, counts: Readonly<Record<string, number>>, ttlSeconds?: number): Promise<void>;
  /** The counters of each record (`{}` for a record that does not exist), in the order of `ids`. */
  getCounts(collection: AdminCollection, ids: readonly string[]): Promise<Array<Record<string, number>>>;
  /** Runs `fn` while holding a lock shared by every instance on this store. */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Tells every other instance that content version `version` was published. */
  announce(version: number): Promise<void>;
  /** Calls `listener` when another instance announces a version. */
  onAnnounce(listener: (version: number) => void): Promise<void>;
  /** Tells every instance (this one too) that something named `name` changed (e.g. `partners`). */
  signal(name: string): Promise<void>;
  /** Calls `listener` with the name of each signal, from any instance (this one included). */
  onSignal(listener: (name: string) => void): Promise<void>;
  /** Whether instances share this store (Redis), i.e. publishing goes to overrides, not files. */
  readonly shared: boolean;
  close(): Promise<void>;
}

/** A record id that is empty or too long: the request's mistake (400), not the store's. */
export class BadRecordIdError extends Error {
  readonly status = 400;
  constructor() {
    super('admin store: bad record id');
    this.name = 'BadRecordIdError';
  }
}

/** The store cannot be reached (Redis down or too slow): the admin answers 503 "temporarily unavailable". */
export class AdminStoreUnavailableError extends Error {
  readonly status = 503;
  constructor(options?: { cause?: unknown }) {
    super('admin store: unavailable', options);
    this.name = 'AdminStoreUnavailableError';
  }
}

/**
 * The store with its failures named: any error of a record operation other than a bad id becomes
 * `AdminStoreUnavailableError` (the cause kept), so pages answer 503 instead of 500.
 */
export function namingUnavailable(store: AdminStore): AdminStore {
  const guard =
    <A extends unknown[], R>(op: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await op(...args);
      } catch (err) {
        if (err instanceof BadRecordIdError || err instanceof AdminStoreUnavailableError) throw err;
        throw new AdminStoreUnavailableError({ cause: err });
      }
    };
  return {
    get: guard((c: AdminCollection, id: string) => store.get(c, id)),
    put: guard((c: AdminCollection, id: string, value: unknown, ttl?: number) => store.put(c, id, value, ttl)),
    delete: guard((c: AdminCollection, id: string) => store.delete(c, id)),
    list: guard((c: AdminCollection) => store.list(c)),
    incr: guard((c: AdminCollection, id: string, ttl?: number) => store.incr(c, id, ttl)),
    withLock: (name, fn) => store.withLock(name, fn),
    announce: (v) => store.announce(v),
    onAnnounce: (l) => store.onAnnounce(l),
    signal: guard((name: string) => store.signal(name)),
    onSignal: (l) => store.onSignal(l),
    get shared() {
      return store.shared;
    },
    close: () => store.close(),
  } as AdminStore;
}

/** Checks an id before it becomes a file name or a key. */
export function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) throw new BadRecordIdError();
}

/**
 * Serialises async work in one process (a promise chain per name). Used for the publish lock
 * on the file store and in front of the Redis lock.
 */
export function createLocalMutex(): <T>(name: string, fn: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const prev = tails.get(name) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    tails.set(name, tail);
    void tail.then(() => {
      if (tails.get(name) === tail) tails.delete(name);
    });
    return run;
  };
}
