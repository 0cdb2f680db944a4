/**
 * The directory page: only a reviewer's recorded check marks a contact or an organisation
 * checked, and users then no longer see "not yet checked" next to it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, expectPrivateLogs, signIn, startWithAccounts, type TestDalil } from '../support.js';

let d: TestDalil;
beforeAll(async () => {
  d = await startWithAccounts();
}, 60_000);
afterAll(async () => {
  expectPrivateLogs(d);
  await d?.close();
});

const directory = (): string => readFileSync(path.join(d.knowledge.contentDir, 'organisations.yaml'), 'utf8');
const PROTECTION_LINE = '+212 666 58 43 61';

describe('directory checks', () => {
  it('shows every contact with its source and status; editors may look but not record a check', async () => {
    const ed = await signIn(d, 'eddie');
    const page = await ed.c.get('/admin/directory');
    expect(page.status).toBe(200);
    expect(page.text).toContain(PROTECTION_LINE);
    expect(page.text).toContain('https://help.unhcr.org/morocco/');
    // The interface is in French, the Centre's working language, unless the editor chose another.
    expect(page.text).toContain('Pas encore vérifié par une personne');
    expect(page.text).not.toContain('name="index"');
    const refused = await ed.c.post('/admin/directory/contact', { _csrf: ed.csrf, org: 'unhcr', index: '0' });
    expect(refused.status).toBe(403);
    expect(directory()).not.toMatch(/^\s+checked_by:/m);
  });

  it("records a reviewer's check with the date and name, publishes it, and users see the contact without the mark", async () => {
    const before = await ask(d.url, 'the police arrested me, what do I do');
    expect(before).toContain(`${PROTECTION_LINE} (not yet checked)`);
    const rv = await signIn(d, 'rita');
    const res = await rv.c.post('/admin/directory/contact', { _csrf: rv.csrf, org: 'unhcr', index: '0' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/directory?done=checked');
    expect(directory()).toMatch(new RegExp(`value: "\\${PROTECTION_LINE}"[\\s\\S]*?checked: "?\\d{4}-\\d{2}-\\d{2}"?\\n\\s+checked_by: rita\\n`));
    // Only that contact: the next one of the same organisation is still unchecked.
    expect(directory().match(/checked_by: rita/g)).toHaveLength(1);
    const after = await ask(d.url, 'the police arrested me, what do I do');
    expect(after).toContain(PROTECTION_LINE);
    expect(after).not.toContain(`${PROTECTION_LINE} (not yet checked)`);
    expect((await rv.c.get('/admin/history')).text).toContain('rita');
    expect((await rv.c.get('/admin/directory')).text).toContain('Vérifié le');
  });

  it('records an organisation as checked, and answers 404 for one that does not exist', async () => {
    const rv = await signIn(d, 'rita');
    expect((await rv.c.post('/admin/directory/organisation', { _csrf: rv.csrf, org: 'gadem' })).status).toBe(303);
    expect(directory()).toMatch(/- id: gadem[\s\S]*?verified_by: rita/);
    expect((await rv.c.post('/admin/directory/organisation', { _csrf: rv.csrf, org: 'no-such-org' })).status).toBe(404);
    expect((await rv.c.post('/admin/directory/contact', { _csrf: rv.csrf, org: 'unhcr', index: '99' })).status).toBe(404);
  });
});
