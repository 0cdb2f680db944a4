/**
 * CSV and XLSX for translators: what is written reads back the same.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv, writeCsv } from '../../../src/admin/translations/csv.js';
import { readXlsx, unzip, writeXlsx, zip } from '../../../src/admin/translations/xlsx.js';

describe("translators' files", () => {
  const rows = [
    ['topic', 'field', 'source (fr)', 'translation (ar)', 'status'],
    ['banking', 'body', 'Ligne 1\n\n- liste "guillemets", virgule; point-virgule', 'السطر الأول\n- قائمة', 'published'],
    ['banking', 'sms', '=HYPERLINK("x")', '+212 formula?', 'stale'],
    ['housing', 'title', ' espace ', '', 'missing'],
  ];

  it('writes CSV that reads back the same, with formulas neutralised', () => {
    const text = writeCsv(rows);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(parseCsv(text)).toEqual(rows);
    const semicolons = rows.map((r) => r.map((c) => (/[;"\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';')).join('\r\n');
    expect(parseCsv(semicolons)).toEqual(rows);
    fc.assert(fc.property(fc.array(fc.array(fc.string({ minLength: 1 }).filter((s) => !/^[=+\-@\t\r']/.test(s) && s.trim() !== ''), { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (r) => JSON.stringify(parseCsv(writeCsv(r))) === JSON.stringify(r)));
  });

  it('writes XLSX that reads back the same, and reads shared strings as Excel saves them', () => {
    expect(readXlsx(writeXlsx(rows, { sheetName: 'ar' }))).toEqual(rows);
    const parts = unzip(writeXlsx(rows, { sheetName: 'ar' }));
    expect(parts.get('xl/worksheets/sheet1.xml')!.toString()).not.toContain('<f>');
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const excel = zip([
      { name: 'xl/workbook.xml', data: Buffer.from(`<workbook xmlns="${ns}" xmlns:r="r"><sheets><sheet name="x" sheetId="1" r:id="rId3"/></sheets></workbook>`) },
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships><Relationship Id="rId3" Type="t" Target="/xl/worksheets/other.xml"/></Relationships>') },
      { name: 'xl/sharedStrings.xml', data: Buffer.from(`<sst xmlns="${ns}"><si><t>topic</t></si><si><r><t>ban</t></r><r><t xml:space="preserve">king </t></r></si><si><t>a&amp;b_x000D_</t></si></sst>`) },
      { name: 'xl/worksheets/other.xml', data: Buffer.from(`<worksheet xmlns="${ns}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>2</v></c></row><row r="3"><c r="B3" t="s"><v>1</v></c><c r="C3"><v>42</v></c></row></sheetData></worksheet>`) },
    ]);
    expect(readXlsx(excel)).toEqual([['topic', '', 'a&b\r'], ['', 'banking ', '42']]);
  });
});
