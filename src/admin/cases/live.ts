/**
 * Live updates of the inbox: server-sent events from `desk.subscribe` (which hears every instance
 * through Redis), filtered to what the reader may see, and a fingerprint of the visible cases for
 * the page's polling fallback. Streams are ended when the server starts draining, when the admin
 * closes, and after a few minutes (the browser reconnects at once), so a shutdown never waits on
 * an open inbox.
 */
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import type { CaseActor, CaseDesk, CaseEvent, CaseSummary } from '../../domain/index.js';

/** The open event streams of this instance. */
export interface LiveHub {
  /** Streams the events `actor` may see to `res` until the client leaves. */
  stream(res: Response, desk: CaseDesk, actor: CaseActor): void;
  /** How many streams are open. */
  size(): number;
  /** Ends every stream. */
  close(): void;
}

/** What a reader is told of an event: the case and the kind for their own partner's cases (every case for an admin). */
export function visibleEvent(actor: CaseActor, event: CaseEvent): { ref: string; kind: CaseEvent['kind'] } | undefined {
  if (actor.partnerId === undefined || event.partnerId === actor.partnerId) return { ref: event.ref, kind: event.kind };
  // A case moved away from this partner: its list changes, the case is not named.
  if (event.kind === 'transferred') return { ref: '', kind: 'transferred' };
  return undefined;
}

/** A fingerprint of the cases a page shows (changes when a case opens, gets a message, is claimed, moves or closes). */
export function fingerprint(cases: readonly CaseSummary[]): string {
  const rows = cases.map((c) => [c.ref, c.partnerId, c.status, c.claimedBy ?? '', c.waitingSince ?? 0, c.lastUserAt ?? 0, c.closedAt ?? 0].join('|')).sort();
  return createHash('sha256').update(rows.join('\n')).digest('base64url').slice(0, 22);
}

/**
 * Creates the hub; `heartbeatMs`: a comment line keeps proxies from closing a quiet stream;
 * `draining`: true once the server is shutting down (checked twice a second while streams are open).
 */
export function createLiveHub(opts: { heartbeatMs?: number; maxAgeMs?: number; draining?: () => boolean } = {}): LiveHub {
  const open = new Set<() => void>();
  const heartbeatMs = opts.heartbeatMs ?? 20_000;
  const maxAgeMs = opts.maxAgeMs ?? 5 * 60_000;
  let watch: NodeJS.Timeout | undefined;
  const endAll = (): void => {
    for (const end of [...open]) end();
  };
  const watchDraining = (): void => {
    if (watch || !opts.draining) return;
    watch = setInterval(() => {
      if (opts.draining?.()) endAll();
      if (open.size === 0) {
        clearInterval(watch);
        watch = undefined;
      }
    }, 500);
    watch.unref();
  };
  return {
    stream(res, desk, actor) {
      res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
      res.flushHeaders();
      res.write('retry: 3000\n\n');
      const started = Date.now();
      const unsubscribe = desk.subscribe((event) => {
        const seen = visibleEvent(actor, event);
        if (seen) res.write(`event: case\ndata: ${JSON.stringify(seen)}\n\n`);
      });
      const end = (): void => {
        if (!open.delete(end)) return;
        clearInterval(beat);
        unsubscribe();
        res.end();
      };
      const beat = setInterval(() => {
        if (Date.now() - started > maxAgeMs) end();
        else res.write(': keep-alive\n\n');
      }, heartbeatMs);
      beat.unref();
      open.add(end);
      res.on('close', end);
      watchDraining();
    },
    size: () => open.size,
    close() {
      endAll();
      if (watch) clearInterval(watch);
    },
  };
}
