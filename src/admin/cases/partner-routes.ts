/**
 * Partners (admins only): list, create and change the organisations that take cases. Saving
 * writes the store and tells every instance to reload its partners (the engine routes new cases
 * with the change at once).
 */
import type { Request, Router } from 'express';
import type { Partner, Weekday } from '../../domain/index.js';
import type { AdminHttp } from '../http/context.js';
import { asArray, formOf, str } from '../http/form.js';
import { partnerFormPage, partnersPage } from './partner-views.js';
import { checkPartner, dayHoursText, WEEKDAYS, type PartnerBook, type PartnerInput } from './partners.js';

/** The form as typed (lists capped: a form never needs more than the taxonomy and the cities). */
function inputOf(req: Request, id?: string): PartnerInput {
  const body = formOf(req);
  const hours: PartnerInput['hours'] = {};
  for (const d of WEEKDAYS) hours[d] = str(body[`hours_${d}`]).slice(0, 200);
  return {
    id: id ?? str(body.id).trim().toLowerCase().slice(0, 60),
    orgId: str(body.orgId).slice(0, 100),
    topics: asArray(body.topics).slice(0, 200),
    cities: asArray(body.cities).slice(0, 500),
    langs: asArray(body.langs).slice(0, 10),
    hours,
    active: str(body.active) === 'on',
  };
}

/** A saved partner as the form shows it. */
function formOfPartner(p: Partner): PartnerInput {
  const hours: Partial<Record<Weekday, string>> = {};
  for (const d of WEEKDAYS) hours[d] = dayHoursText(p.hours, d);
  return { id: p.id, orgId: p.orgId, topics: [...p.topics], cities: [...p.cities], langs: [...p.langs], hours, active: p.active };
}

const EMPTY: PartnerInput = { id: '', orgId: '', topics: [], cities: [], langs: ['fr'], hours: { 1: '09:00-17:00', 2: '09:00-17:00', 3: '09:00-17:00', 4: '09:00-17:00', 5: '09:00-17:00' }, active: true };

/** Adds the partners pages to the admin router. */
export function mountPartnerRoutes(router: Router, http: AdminHttp, partners: PartnerBook): void {
  const kb = () => http.workspace.kb();

  router.get('/partners', http.need('admin'), async (req, res) => {
    res.type('html').send(partnersPage(await http.ctxOf(req, res), kb(), partners.list()));
  });

  router.get('/partners/new', http.need('admin'), async (req, res) => {
    res.type('html').send(partnerFormPage(await http.ctxOf(req, res), kb(), EMPTY, false));
  });

  router.post('/partners', http.forms, http.need('admin'), async (req, res) => {
    const input = inputOf(req);
    const checked = checkPartner(input, kb(), partners, true);
    if (!checked.ok) {
      res.status(400).type('html').send(partnerFormPage(await http.ctxOf(req, res), kb(), input, false, checked.errors));
      return;
    }
    await partners.save(checked.partner);
    http.logger.info('admin.partner_created', { partner: checked.partner.id });
    http.back(res, `${req.baseUrl}/partners`, 'partnerSaved');
  });

  router.get('/partners/:id', http.need('admin'), async (req, res) => {
    const p = partners.get(str(req.params.id));
    if (!p) return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    res.type('html').send(partnerFormPage(await http.ctxOf(req, res), kb(), formOfPartner(p), true));
  });

  router.post('/partners/:id', http.forms, http.need('admin'), async (req, res) => {
    const p = partners.get(str(req.params.id));
    if (!p) return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    const input = inputOf(req, p.id);
    const checked = checkPartner(input, kb(), partners, false);
    if (!checked.ok) {
      res.status(400).type('html').send(partnerFormPage(await http.ctxOf(req, res), kb(), input, true, checked.errors));
      return;
    }
    await partners.save(checked.partner);
    http.logger.info('admin.partner_changed', { partner: p.id });
    http.back(res, `${req.baseUrl}/partners`, 'partnerSaved');
  });
}
