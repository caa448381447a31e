import { randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';
import type { Deps } from '../../deps';
import type { RequestContext } from '../../http/context';
import { validateCompanyBuckets, type AgingBucket } from '../../domain/aging';
import { z } from 'zod';
import { AppError, type FieldProblem } from '../../http/errors';
import { amountMinorField, currencyField, isoDateField, timeZoneField } from '../../http/fields';
import { fileSource, TableReadError } from '../../imports/read-table-source';
import { checkDeclaredSizes, readZipDirectory, verifyInflatedSizes, XLSX_ZIP_LIMITS } from '../../imports/zip-guard';
import { currencyOverTotalBound } from '../documents/amount-bounds';
import { audit } from '../audit-log/audit';
import { insertCompany, isSlugTaken, type Company } from '../companies/companies.repository';
import { contactToRow, type Contact } from '../contacts/contacts';
import { customerToRow, type Customer } from '../customers/customers.repository';
import { recomputeOpenAmounts, refreshCustomerBalances } from '../documents/balances.repository';
import { documentToRow, type LedgerDocument } from '../documents/documents.repository';
import { insertMembership } from '../users/users.repository';
import { EXPORT_FORMAT } from './company-export';

const badFile = (detail: string) => new AppError('VALIDATION_FAILED', {}, [{ path: 'file', key: 'invalidExport', params: { detail } }]);
const tooLarge = (detail: string) => new AppError('VALIDATION_FAILED', {}, [{ path: 'file', key: 'archiveTooLarge', params: { detail } }]);

/** The same zip guards as spreadsheet imports (issue 10: a 1 MB archive wrote a 1 GiB file): 1 GiB, 200:1. */
const ARCHIVE_LIMITS = XLSX_ZIP_LIMITS;
/** One JSON record (one line of an entity file) or company.json: far above any real record. */
const MAX_RECORD_CHARS = 1024 * 1024;

/**
 * Every record is checked with the API's own field schemas before it is written (issue 10: amounts of 2^60, dates
 * 0000-00-00, time zone Mars/Olympus and currency XXX were accepted, and the company's reports then answered 500).
 * Only the fields the API validates are listed; the rest is checked by the database (and reported as a conflict).
 */
const RECORD_SCHEMAS: Record<string, z.ZodType> = {
  company: z.object({ timeZone: timeZoneField, baseCurrency: currencyField, paymentTermsDays: z.number().int().min(0).max(3650).optional() }),
  documents: z.object({ issuedOn: isoDateField, dueOn: isoDateField.nullable().optional(), currency: currencyField, amountMinor: amountMinorField, openMinor: amountMinorField.optional() }),
  allocations: z.object({ amountMinor: amountMinorField, allocatedOn: isoDateField }),
  exchangeRates: z.object({ rateOn: isoDateField, baseCurrency: currencyField, quoteCurrency: currencyField, rate: z.string().regex(/^\d{1,12}(\.\d{1,12})?$/) }),
  customers: z.object({ creditLimitMinor: amountMinorField.min(0).nullable().optional() }),
};

/** The record's problems, named `<entity>[<record>].<field>` after a first one on `file` naming the record. */
function checkRecord(entity: string, record: number, obj: unknown): void {
  const schema = RECORD_SCHEMAS[entity];
  if (!schema) return;
  const r = schema.safeParse(obj);
  if (r.success) return;
  const fields: FieldProblem[] = r.error.issues.slice(0, 10).map((i) => {
    const key = (i as { params?: { key?: string } }).params?.key ?? (i.code === 'too_big' ? 'tooBig' : i.code === 'too_small' ? 'tooSmall' : i.code === 'invalid_type' ? 'required' : 'invalidValue');
    const params = { ...((i as { params?: Record<string, unknown> }).params ?? {}), maximum: (i as { maximum?: unknown }).maximum, minimum: (i as { minimum?: unknown }).minimum };
    return { path: `${entity}[${record}].${i.path.join('.')}`, key, params };
  });
  throw new AppError('VALIDATION_FAILED', {}, [{ path: 'file', key: 'invalidExportRecord', params: { file: `${entity}.json`, record, field: r.error.issues[0].path.join('.') } }, ...fields]);
}

/** Refuses a zip bomb before anything is inflated for real: declared sizes, then every entry inflated into nothing. */
async function guardArchive(file: string): Promise<void> {
  const source = await fileSource(file);
  try {
    const entries = await readZipDirectory(source, ARCHIVE_LIMITS);
    checkDeclaredSizes(entries, ARCHIVE_LIMITS);
    await verifyInflatedSizes(source, entries, ARCHIVE_LIMITS);
  } catch (err) {
    if (err instanceof TableReadError) throw err.reason === 'zipBomb' ? tooLarge(err.details.detail ?? '') : badFile('not a zip archive');
    throw err;
  } finally {
    await source.close();
  }
}

/**
 * Recreates an exported company as a new one (new ids, same content), in one transaction: a broken or truncated
 * archive leaves nothing behind. The archive is streamed: one JSON object per line, inflated chunk by chunk.
 */
export async function importCompanyArchive(deps: Deps, file: string, input: { name: string; ownerUserId?: string }, ctx: RequestContext) {
  await guardArchive(file);
  return deps.db.transaction().execute(async (trx) => {
    const tenantId = randomUUID();
    const ids = new Map<string, string>();
    const newId = (old: string) => {
      let id = ids.get(old);
      if (!id) ids.set(old, (id = randomUUID()));
      return id;
    };
    const mapped = (old: string | null) => (old ? (ids.get(old) ?? null) : null);
    const counts: Record<string, number> = {};
    const parents: [string, string][] = [];
    let manifest: { format?: string; counts?: Record<string, number> } | undefined;
    let companyCreated = false;
    const now = deps.clock.now().toISOString();

    const handlers: Record<string, (o: any) => Promise<void>> = {
      company: async (c: Company) => {
        let slug = `${c.slug ?? 'company'}-${randomUUID().slice(0, 6)}`;
        while (await isSlugTaken(trx, slug)) slug = `${c.slug}-${randomUUID().slice(0, 6)}`;
        // Exports made before migration 021 have no buckets (the defaults); an edited archive must not break the reports.
        const agingBuckets = (c.agingBuckets ?? null) as AgingBucket[] | null;
        if (agingBuckets !== null && (!Array.isArray(agingBuckets) || validateCompanyBuckets(agingBuckets).length > 0)) throw badFile('company.json: agingBuckets');
        await insertCompany(trx, { ...c, id: tenantId, slug, name: input.name, agingBuckets, createdAt: now, updatedAt: now } as Company);
        companyCreated = true;
      },
      customers: async (c: Customer) => {
        // Collectors are users of the old company: they do not come along. Parents may come later in the file.
        if (c.parentCustomerId) parents.push([newId(c.id), c.parentCustomerId]);
        await trx.insertInto('customers').values(customerToRow(tenantId, { ...c, id: newId(c.id), collectorUserId: null, parentCustomerId: null })).execute();
      },
      contacts: async (c: Contact) => trx.insertInto('contacts').values(contactToRow(tenantId, { ...c, id: newId(c.id), customerId: mapped(c.customerId)! })).execute().then(() => undefined),
      documents: async (d: LedgerDocument) => trx.insertInto('documents').values(documentToRow(tenantId, { ...d, id: newId(d.id), customerId: mapped(d.customerId)!, importId: null })).execute().then(() => undefined),
      allocations: async (a: any) =>
        trx.insertInto('allocations').values({ id: newId(a.id), tenant_id: tenantId, from_document_id: mapped(a.fromDocumentId)!, to_document_id: mapped(a.toDocumentId)!, amount_minor: a.amountMinor, allocated_on: a.allocatedOn, reversal_of_id: mapped(a.reversalOfId), created_by: null, created_at: a.createdAt }).execute().then(() => undefined),
      exchangeRates: async (r: any) => trx.insertInto('exchange_rates').values({ tenant_id: tenantId, rate_on: r.rateOn, base_currency: r.baseCurrency, quote_currency: r.quoteCurrency, rate: r.rate }).execute().then(() => undefined),
      importMappings: async (m: any) => trx.insertInto('import_mappings').values({ tenant_id: tenantId, source: m.source, mapping_json: JSON.stringify(m.mapping), updated_at: m.updatedAt }).execute().then(() => undefined),
      files: async (f: { documentId: string; bytes: Buffer }) => {
        const id = mapped(f.documentId);
        if (!id) return;
        mkdirSync(join(deps.config.dataDir, 'files', tenantId), { recursive: true });
        writeFileSync(join(deps.config.dataDir, 'files', tenantId, `${id}.pdf`), f.bytes);
      },
      manifest: async (m: any) => {
        manifest = m;
      },
    };

    const pending: { entity: string; obj: unknown }[] = [];
    // The directory was checked, but the streaming reader follows local headers: count what it really inflates.
    let inflated = 0;
    const count = (name: string, n: number) => {
      inflated += n;
      if (inflated > ARCHIVE_LIMITS.maxTotalUncompressed) throw tooLarge(name);
    };
    const unzip = new Unzip();
    unzip.register(UnzipInflate);
    unzip.onfile = (f) => {
      const pdf = /^files\/([\w-]+)\.pdf$/.exec(f.name);
      if (pdf) {
        const parts: Uint8Array[] = [];
        f.ondata = (err, chunk, final) => {
          if (err) throw badFile(f.name);
          count(f.name, chunk.length);
          parts.push(chunk);
          if (final) pending.push({ entity: 'files', obj: { documentId: pdf[1], bytes: Buffer.concat(parts) } });
        };
        f.start();
        return;
      }
      const entity = f.name.replace(/\.json$/, '');
      if (!handlers[entity]) return;
      const decoder = new TextDecoder();
      let rest = '';
      const whole = entity === 'company' || entity === 'manifest';
      f.ondata = (err, chunk, final) => {
        if (err) throw badFile(f.name);
        count(f.name, chunk.length);
        rest += decoder.decode(chunk, { stream: !final });
        if (rest.length > MAX_RECORD_CHARS * (whole ? 1 : 2)) throw badFile(`${f.name}: a record over 1 MiB`);
        if (whole) {
          if (final) pending.push({ entity, obj: JSON.parse(rest) });
          return;
        }
        const lines = rest.split('\n');
        rest = final ? '' : lines.pop()!;
        for (const line of lines) {
          const l = line.trim().replace(/,$/, '');
          if (l && l !== '[' && l !== ']') pending.push({ entity, obj: JSON.parse(l) });
        }
      };
      f.start();
    };
    try {
      for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
        unzip.push(new Uint8Array(chunk as Buffer));
        while (pending.length) {
          const { entity, obj } = pending.shift()!;
          if (entity !== 'company' && entity !== 'manifest' && !companyCreated) throw badFile('company.json must come first');
          const record = (counts[entity] ?? 0) + 1;
          checkRecord(entity, record, obj);
          try {
            await handlers[entity](obj);
          } catch (err) {
            if (err instanceof AppError) throw err;
            // A database refusal (a duplicate code, a missing reference): named by record, never by constraint.
            throw new AppError('VALIDATION_FAILED', {}, [{ path: 'file', key: 'exportRecordConflict', params: { file: `${entity}.json`, record } }]);
          }
          counts[entity] = record;
        }
      }
      unzip.push(new Uint8Array(0), true);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // JSON or zip errors: their messages are the parser's, not the user's; the file is named, nothing else.
      throw badFile(err instanceof SyntaxError ? 'invalid JSON' : 'unreadable archive');
    }
    if (!manifest || manifest.format !== EXPORT_FORMAT || !companyCreated) throw badFile('not a DSO Manager export');
    for (const [entity, n] of Object.entries(manifest.counts ?? {})) {
      if ((counts[entity] ?? 0) !== n) throw badFile(`${entity}: ${counts[entity] ?? 0} of ${n} records`);
    }
    for (const [child, oldParent] of parents) {
      await trx.updateTable('customers').set({ parent_customer_id: mapped(oldParent) }).where('tenant_id', '=', tenantId).where('id', '=', child).execute();
    }
    // All or nothing, like every write: the new company's totals must stay exact (documents/amount-bounds.ts).
    const over = await currencyOverTotalBound(trx, tenantId);
    if (over) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'file', key: 'companyTotalTooLarge', params: { currency: over, max: Number.MAX_SAFE_INTEGER } }]);
    await recomputeOpenAmounts(trx, tenantId);
    await refreshCustomerBalances(trx, tenantId);
    if (input.ownerUserId) await insertMembership(trx, { tenantId, userId: input.ownerUserId, role: 'owner', at: now });
    await audit(trx, deps.clock, { ...ctx, tenantId }, tenantId, { action: 'company.imported', entityType: 'company', entityId: tenantId, after: { counts } });
    const t = await trx.selectFrom('tenants').select(['id', 'slug']).where('id', '=', tenantId).executeTakeFirstOrThrow();
    return { id: t.id, slug: t.slug, counts };
  });
}
