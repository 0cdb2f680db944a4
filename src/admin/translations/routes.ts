/**
 * Translators' files: export a language as XLSX or CSV (everything, or only what is missing or
 * stale), upload it back, preview what would change (checked), and apply it as drafts.
 */
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { isLang } from '../../domain/index.js';
import type { AdminHttp } from '../http/context.js';
import { str } from '../http/form.js';
import { CsvError, parseCsv, writeCsv } from './csv.js';
import { applyImport, exportRows, previewImport, type ExportScope, type ImportPreview } from './import-export.js';
import { importPreviewPage, translationsPage } from './views.js';
import { readXlsx, writeXlsx, XlsxError } from './xlsx.js';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** The rows of an uploaded file: XLSX (a zip) or CSV. */
function readRows(buf: Buffer): string[][] {
  return buf.subarray(0, 4).equals(ZIP_MAGIC) ? readXlsx(buf) : parseCsv(buf.toString('utf8'));
}

/** Adds the routes of the translators' files to the admin router. */
export function mountTranslationsRoutes(router: Router, http: AdminHttp): void {
  const { store, workspace: ws, logger } = http;

  router.get('/translations', http.need('editor'), async (req, res) => {
    res.type('html').send(translationsPage(await http.ctxOf(req, res)));
  });

  router.get('/translations/export', http.need('editor'), async (req, res) => {
    const lang = str(req.query.lang);
    const scope: ExportScope = req.query.scope === 'all' ? 'all' : 'todo';
    if (!isLang(lang) || lang === 'fr') return http.sendError(req, res, 400, 'error.title', 'error.badRequest');
    const rows = exportRows(ws.kb(), lang, scope, await ws.marks());
    // Nothing missing or to update: say so rather than hand over a file with a header only.
    if (rows.length <= 1) return http.back(res, `${req.baseUrl}/translations`, 'nothingToTranslate');
    const name = `dalil-${lang}-${scope === 'all' ? 'all' : 'missing-stale'}-${http.today()}`;
    if (req.query.format === 'csv') {
      res.set('Content-Disposition', `attachment; filename="${name}.csv"`).type('text/csv; charset=utf-8').send(writeCsv(rows));
    } else {
      const buf = writeXlsx(rows, { sheetName: lang, widths: [22, 8, 60, 60, 16], rtlColumns: lang === 'ar' ? [3] : [] });
      res.set('Content-Disposition', `attachment; filename="${name}.xlsx"`).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
    }
    logger.info('admin.translations_exported', { lang, scope, rows: rows.length - 1 });
  });

  router.post('/translations/import', http.need('editor'), express.raw({ type: () => true, limit: '5mb' }), async (req, res) => {
    const lang = str(req.query.lang);
    if (!isLang(lang) || lang === 'fr') return http.sendError(req, res, 400, 'error.title', 'error.badRequest');
    if ((req.get('content-type') ?? '').startsWith('multipart/')) return http.sendError(req, res, 400, 'error.title', 'tr.needsJs');
    let rows: string[][];
    try {
      rows = readRows(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    } catch (err) {
      if (err instanceof XlsxError || err instanceof CsvError) {
        res.status(400).json({ error: http.uiText(req, res)('tr.unreadable'), detail: err.message });
        return;
      }
      throw err;
    }
    const preview = await previewImport(rows, lang, { kb: ws.kb(), workspace: ws, today: http.today() });
    const token = randomBytes(18).toString('base64url');
    await store.put('imports', token, { preview, user: http.me(res).username }, 86_400);
    res.json({ location: `${req.baseUrl}/translations/import/${token}` });
  });

  /** The preview stored under the URL's token, if any and if the signed-in user made it (another's is "not found"). */
  const loadImport = async (req: Request, res: Response): Promise<ImportPreview | undefined> => {
    const token = str(req.params.token);
    if (!/^[A-Za-z0-9_-]{24}$/.test(token)) return undefined;
    const stored = await store.get<{ preview: ImportPreview; user?: string }>('imports', token);
    return stored && stored.user === http.me(res).username ? stored.preview : undefined;
  };

  router.get('/translations/import/:token', http.need('editor'), async (req, res) => {
    const preview = await loadImport(req, res);
    if (!preview) return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    res.type('html').send(importPreviewPage(await http.ctxOf(req, res), preview, str(req.params.token)));
  });

  router.post('/translations/import/:token/apply', http.forms, http.need('editor'), async (req, res) => {
    const preview = await loadImport(req, res);
    if (!preview) return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    const n = await applyImport(preview, ws, http.me(res).username);
    await store.delete('imports', str(req.params.token));
    logger.info('admin.translations_imported', { lang: preview.lang, drafts: n });
    http.back(res, `${req.baseUrl}/review`, 'imported');
  });

}
