import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Db } from '../../db/database';
import type { DB } from '../../db/schema';
import { presentCompany, getCompany } from '../companies/companies.service';
import type { Company } from '../companies/companies.repository';
import { rowToContact } from '../contacts/contacts';
import { rowToCustomer } from '../customers/customers.repository';
import { rowToDocument } from '../documents/documents.repository';
import { addSheet, type Column } from './spreadsheet';

export const EXPORT_FORMAT = 'dso-manager-company-export';
export const EXPORT_VERSION = 1;
const PAGE = 5000;

type Entity = { file: string; table: keyof DB; map: (row: any) => Record<string, unknown> };

/** What a company owns, entity by entity (no users, API keys or sessions: those belong to people, not the company). */
export const ENTITIES: Entity[] = [
  { file: 'customers', table: 'customers', map: rowToCustomer },
  { file: 'contacts', table: 'contacts', map: rowToContact },
  { file: 'documents', table: 'documents', map: rowToDocument },
  { file: 'allocations', table: 'allocations', map: (r) => ({ id: r.id, fromDocumentId: r.from_document_id, toDocumentId: r.to_document_id, amountMinor: r.amount_minor, allocatedOn: r.allocated_on, reversalOfId: r.reversal_of_id, createdAt: r.created_at }) },
  { file: 'exchangeRates', table: 'exchange_rates', map: (r) => ({ rateOn: r.rate_on, baseCurrency: r.base_currency, quoteCurrency: r.quote_currency, rate: r.rate }) },
  { file: 'importMappings', table: 'import_mappings', map: (r) => ({ source: r.source, mapping: JSON.parse(r.mapping_json), updatedAt: r.updated_at }) },
];

/**
 * The company's settings as exported: the API shape, except that the aging buckets are the stored setting (null =
 * the defaults), so that a copy made from the export keeps following the defaults instead of freezing today's.
 */
export function exportedCompany(c: Company) {
  const { agingBucketsAreDefault: _derived, ...shown } = presentCompany(c);
  return { ...shown, agingBuckets: c.agingBuckets };
}

/** Pages through a tenant's table in a stable order, PAGE rows at a time: memory stays flat on a million rows. */
export async function* pagesOf(db: Db, tenantId: string, e: Entity): AsyncGenerator<Record<string, unknown>[]> {
  const keyed = e.table !== 'exchange_rates' && e.table !== 'import_mappings';
  let after = '';
  let offset = 0;
  for (;;) {
    let q = (db as any).selectFrom(e.table).selectAll().where('tenant_id', '=', tenantId);
    q = keyed ? q.where('id', '>', after).orderBy('id').limit(PAGE) : q.orderBy(e.table === 'exchange_rates' ? 'rate_on' : 'source').limit(PAGE).offset(offset);
    const rows: any[] = await q.execute();
    if (!rows.length) return;
    yield rows.map(e.map);
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].id;
    offset += rows.length;
  }
}

/**
 * The company as a ZIP of JSON files (one array per entity, one object per line so that an import can stream it).
 * Returns a stream; the archive is produced as it is read.
 */
export function companyZipStream(db: Db, tenantId: string, exportedAt: string, dataDir?: string): Readable {
  const out = new PassThrough();
  const zip = new Zip((err, chunk, final) => {
    if (err) out.destroy(err);
    else {
      out.write(Buffer.from(chunk));
      if (final) out.end();
    }
  });
  const addJson = (name: string, text: string) => {
    const f = new ZipDeflate(`${name}.json`, { level: 6 });
    zip.add(f);
    f.push(new TextEncoder().encode(text), true);
  };
  void (async () => {
    try {
      const company = exportedCompany(await getCompany(db, tenantId));
      const counts: Record<string, number> = {};
      addJson('company', JSON.stringify(company, null, 2));
      for (const e of ENTITIES) {
        const f = new ZipDeflate(`${e.file}.json`, { level: 6 });
        zip.add(f);
        const enc = new TextEncoder();
        let n = 0;
        f.push(enc.encode('[\n'));
        for await (const rows of pagesOf(db, tenantId, e)) {
          f.push(enc.encode(rows.map((r) => (n++ ? ',\n' : '') + JSON.stringify(r)).join('')));
        }
        f.push(enc.encode('\n]\n'), true);
        counts[e.file] = n;
      }
      // Uploaded PDFs travel with their documents: files/<document id>.pdf.
      if (dataDir) {
        const withPdf = await db.selectFrom('documents').select(['id', 'pdf_file']).where('tenant_id', '=', tenantId).where('pdf_file', 'is not', null).execute();
        for (const d of withPdf) {
          const path = join(dataDir, d.pdf_file!);
          if (!existsSync(path)) continue;
          const f = new ZipPassThrough(`files/${d.id}.pdf`);
          zip.add(f);
          f.push(new Uint8Array(readFileSync(path)), true);
        }
        counts.files = withPdf.length;
      }
      addJson('manifest', JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt, company: company.name, counts }, null, 2));
      zip.end();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

/** Fields ending in `On` are calendar dates (CONTRACTS.md conventions): Excel dates; amounts stay in minor units, as named. */
const cols = (keys: string[]): Column<Record<string, unknown>>[] =>
  keys.map((k) =>
    k.endsWith('On')
      ? { header: k, date: (r) => (typeof r[k] === 'string' ? r[k] : null) }
      : { header: k, value: (r) => (r[k] !== null && typeof r[k] === 'object' ? JSON.stringify(r[k]) : r[k]) },
  );

/** The same content as one XLSX workbook, a sheet per entity, for people who open it in Excel. */
export function companyXlsxStream(db: Db, tenantId: string): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
      const company = exportedCompany(await getCompany(db, tenantId));
      await addSheet(wb, 'company', cols(Object.keys(company)), (async function* () { yield [company as Record<string, unknown>]; })());
      for (const e of ENTITIES) {
        const first = await pagesOf(db, tenantId, e).next();
        const keys = first.value?.[0] ? Object.keys(first.value[0]) : ['(empty)'];
        await addSheet(wb, e.file, cols(keys), pagesOf(db, tenantId, e), out);
        if (out.destroyed) return; // the client went away
      }
      await wb.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}
