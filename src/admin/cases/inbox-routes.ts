/**
 * The case workers' inbox: a case worker sees and acts on their partner's cases only, an admin of
 * the Centre on every case; anyone else gets 404, and so does a case of another partner (its
 * existence is not given away). Every read goes through `desk.read`, which writes the audit log.
 * Live: server-sent events, and a fingerprint for the page's polling fallback.
 */
import type { Request, Response, Router } from 'express';
import { CASE_OUTCOMES, type CaseActor, type CaseDesk, type CaseOutcome } from '../../domain/index.js';
import type { AdminHttp } from '../http/context.js';
import { formOf, str } from '../http/form.js';
import type { MessageKey } from '../locales/en.js';
import { auditPage, caseCards, caseLive, casePage, inboxPage, WORKER_OUTCOMES } from './inbox-views.js';
import { fingerprint, type LiveHub } from './live.js';
import type { PartnerBook } from './partners.js';

/** Case references as the desk makes them (letters, digits, dashes); anything else is not found. */
const REF = /^[A-Za-z0-9-]{1,40}$/;
const MAX_REPLY = 4000;
const MAX_REASON = 500;

/** The signed-in person as the desk knows them. */
export function actorOf(user: { username: string; role: string; partnerId?: string }): CaseActor {
  return user.role === 'caseworker' && user.partnerId ? { username: user.username, partnerId: user.partnerId } : { username: user.username };
}

/** Adds the inbox's routes; `desk()` is undefined until the server attached the case desk (then 404). */
export function mountInboxRoutes(router: Router, http: AdminHttp, deps: { partners: PartnerBook; desk(): CaseDesk | undefined; hub: LiveHub }): void {
  const { partners, hub } = deps;
  const kb = () => http.workspace.kb();
  const notFound = (req: Request, res: Response) => http.sendError(req, res, 404, 'error.title', 'error.notFound');
  /** The desk and the actor, or a 404 already sent. */
  const ready = async (req: Request, res: Response): Promise<{ desk: CaseDesk; actor: CaseActor } | undefined> => {
    const desk = deps.desk();
    if (!desk) {
      await notFound(req, res);
      return undefined;
    }
    return { desk, actor: actorOf(http.me(res)) };
  };
  const refOf = (req: Request): string | undefined => {
    const ref = str(req.params.ref);
    return REF.test(ref) ? ref : undefined;
  };

  router.get('/cases', http.needCases(), async (req, res) => {
    const r = await ready(req, res);
    if (!r) return;
    const part = str(req.query.part) === 'live';
    // A live part has no menu: its counts are not read again on every refresh.
    const ctx = await http.ctxOf(req, res, !part);
    const cards = caseCards(ctx, kb(), await r.desk.list(r.actor, { status: 'open' }), (id) => partners.get(id), http.now());
    if (part) res.type('html').send(cards.value);
    else res.type('html').send(inboxPage(ctx, cards));
  });

  router.get('/cases/events', http.needCases(), async (req, res) => {
    const r = await ready(req, res);
    if (r) hub.stream(res, r.desk, r.actor);
  });

  router.get('/cases/state', http.needCases(), async (req, res) => {
    const r = await ready(req, res);
    if (!r) return;
    const ref = str(req.query.ref);
    const cases = ref ? (await r.desk.list(r.actor)).filter((c) => c.ref === ref) : await r.desk.list(r.actor, { status: 'open' });
    res.json({ v: fingerprint(cases) });
  });

  router.get('/cases/audit', http.needCases(true), async (req, res) => {
    const r = await ready(req, res);
    if (!r) return;
    const ref = str(req.query.ref).trim();
    const entries = await r.desk.audit({ ...(REF.test(ref) ? { ref } : {}), limit: 500 });
    res.type('html').send(auditPage(await http.ctxOf(req, res), entries, REF.test(ref) ? ref : ''));
  });

  router.get('/cases/:ref', http.needCases(), async (req, res) => {
    const r = await ready(req, res);
    const ref = refOf(req);
    if (!r) return;
    const c = ref ? await r.desk.read(r.actor, ref) : undefined;
    if (!c) return notFound(req, res);
    const part = str(req.query.part) === 'live';
    const ctx = await http.ctxOf(req, res, !part);
    if (part) res.type('html').send(caseLive(ctx, kb(), c, partners.get(c.summary.partnerId), http.now()).value);
    else res.type('html').send(casePage(ctx, kb(), c, partners.list(), http.now()));
  });

  mountCaseActions(router, http, { ready, refOf, notFound, partners });
}

type Ready = (req: Request, res: Response) => Promise<{ desk: CaseDesk; actor: CaseActor } | undefined>;

/** Claim, reply, transfer and close: each answers 404 for a case the actor may not see. */
function mountCaseActions(router: Router, http: AdminHttp, h: { ready: Ready; refOf(req: Request): string | undefined; notFound(req: Request, res: Response): Promise<void>; partners: PartnerBook }): void {
  const kb = () => http.workspace.kb();
  /** Runs `act` on the case; on false, 409 when the case is still the actor's (closed meanwhile), else 404. */
  const act = (fn: (desk: CaseDesk, actor: CaseActor, ref: string, body: Record<string, unknown>) => Promise<boolean | MessageKey>, next: (ref: string) => string, done: string) =>
    async (req: Request, res: Response): Promise<void> => {
      const r = await h.ready(req, res);
      const ref = h.refOf(req);
      if (!r) return;
      if (!ref) return h.notFound(req, res);
      // The desk refuses what the case's state does not allow (a reply to a closed case) by throwing its input error.
      const result = await fn(r.desk, r.actor, ref, formOf(req)).catch((err: unknown) => {
        if (err instanceof Error && err.name === 'CaseInputError') return false;
        throw err;
      });
      if (result === true) return http.back(res, `${req.baseUrl}${next(ref)}`, done);
      const c = await r.desk.read(r.actor, ref);
      if (!c) return h.notFound(req, res);
      const error: MessageKey = result === false ? 'cases.err.conflict' : result;
      res.status(result === false ? 409 : 400).type('html').send(casePage(await http.ctxOf(req, res), kb(), c, h.partners.list(), http.now(), error));
    };

  router.post('/cases/:ref/claim', http.forms, http.needCases(), act((desk, actor, ref) => desk.claim(actor, ref), (ref) => `/cases/${ref}`, 'claimed'));

  router.post('/cases/:ref/reply', http.forms, http.needCases(), act(async (desk, actor, ref, body) => {
    const text = str(body.text).replace(/\r\n/g, '\n').trim();
    if (text === '' || text.length > MAX_REPLY) return 'cases.err.reply';
    return (await desk.reply(actor, ref, text)) !== undefined;
  }, (ref) => `/cases/${ref}`, 'replied'));

  router.post('/cases/:ref/transfer', http.forms, http.needCases(), act(async (desk, actor, ref, body) => {
    const to = h.partners.get(str(body.to));
    const reason = str(body.reason).trim();
    if (!to || !to.active) return 'cases.err.transferTo';
    if (reason === '' || reason.length > MAX_REASON) return 'cases.err.reason';
    return desk.transfer(actor, ref, to.id, reason);
  }, () => '/cases', 'transferred'));

  router.post('/cases/:ref/close', http.forms, http.needCases(), act(async (desk, actor, ref, body) => {
    const outcome = str(body.outcome);
    if (!(WORKER_OUTCOMES as readonly string[]).includes(outcome) || !(CASE_OUTCOMES as readonly string[]).includes(outcome)) return 'cases.err.outcome';
    return desk.close(actor, ref, outcome as CaseOutcome);
  }, () => '/cases', 'closed'));
}
