import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isLanguage } from '../common/languages';
import { isRole } from '../common/roles';
import { openDeps } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import type { RequestContext } from './http/context';
import { AppError } from './http/errors';
import { translate } from './i18n/i18n';
import { isActiveCurrency } from './domain/currencies';
import { createApiKey } from './modules/api-keys/api-keys.service';
import { findCompanyByIdOrSlug } from './modules/companies/companies.repository';
import { createCompanyWithOwner } from './modules/companies/companies.service';
import { seedDemoCompany } from './modules/demo/demo.seed';
import { createMemberUser } from './modules/users/users.service';
import { importOptions } from './modules/imports/imports.schemas';
import { queueImport, runImportJob } from './modules/imports/imports.service';
import { companyZipStream } from './modules/exports/company-export';
import { importCompanyArchive } from './modules/exports/company-import';
import { audit } from './modules/audit-log/audit';

/**
 * `npm run --silent cli -- <command> [flags]` (CONTRACTS.md): exactly one JSON document on stdout, logs on stderr;
 * exit 0 done, 1 failed (stdout `{ "error": … }`), 2 usage error.
 */
const HELP = `DSO Manager command line

Usage: npm run --silent cli -- <command> [flags]

Commands:
  migrate                                   apply pending database migrations
  tenant:create --name N --email E --password P [--time-zone Z] [--language L] [--currency C]
  user:create --tenant T --email E --password P --role R [--first-name F] [--last-name L]
                                            a new user; an existing email is an error (USER_EXISTS)
  user:create --tenant T --email E --role R --add-membership
                                            only add an existing, email-verified user to the company
  apikey:create --tenant T --role R --name N
  demo:seed                                 create the demo company "Demo Industries"
  tenant:export --tenant T --out FILE.zip   everything the company owns, as a ZIP of JSON files
  tenant:import --name N --file FILE.zip    recreate an export as a new company (add users with user:create)
  import --tenant T --file F [--mode delta|snapshot] [--source S] [--map field=Header]... [--sheet NAME]
         [--dry-run] [--skip-invalid]       import a CSV or XLSX file; prints the import summary

Roles: owner, admin, credit_manager, collector, dispute_resolver, sales, viewer
--tenant takes a company id or slug. Configuration comes from the environment (DATA_DIR, DATABASE_URL, ...).
Output: one JSON document on stdout. Exit codes: 0 done, 1 failed, 2 usage error.
`;

class UsageError extends Error {}

const out = (value: unknown) => process.stdout.write(JSON.stringify(value, null, 2) + '\n');

function need(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stderr.write(HELP);
    return command ? 0 : 2;
  }
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      name: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' }, tenant: { type: 'string' },
      role: { type: 'string' }, 'time-zone': { type: 'string' }, language: { type: 'string' }, currency: { type: 'string' },
      'first-name': { type: 'string' }, 'last-name': { type: 'string' }, help: { type: 'boolean' },
      file: { type: 'string' }, mode: { type: 'string' }, source: { type: 'string' }, map: { type: 'string', multiple: true },
      sheet: { type: 'string' }, out: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'skip-invalid': { type: 'boolean' },
      'add-membership': { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stderr.write(HELP);
    return 0;
  }
  const known = ['migrate', 'tenant:create', 'user:create', 'apikey:create', 'demo:seed', 'import', 'tenant:export', 'tenant:import'];
  if (!known.includes(command)) throw new UsageError(`unknown command "${command}"`);

  const config = loadConfig();
  const deps = await openDeps(config, { migrate: true });
  try {
    const systemCtx = (tenantId: string): RequestContext & { tenantId: string; role: 'owner' } => ({
      actor: { type: 'system', label: `cli ${command}` }, tenantId, role: 'owner', ip: '',
    });
    const tenantOf = async () => {
      const t = await findCompanyByIdOrSlug(deps.db, need(values, 'tenant'));
      if (!t) throw new AppError('NOT_FOUND', {}, [{ path: 'tenant', key: 'invalidValue' }]);
      return t;
    };
    const email = () => z.email().parse(need(values, 'email').trim().toLowerCase());
    const role = () => {
      const r = need(values, 'role');
      if (!isRole(r)) throw new UsageError(`--role must be one of owner, admin, credit_manager, collector, dispute_resolver, sales, viewer`);
      return r;
    };
    switch (command) {
      case 'migrate':
        out({ applied: deps.applied });
        return 0;
      case 'tenant:create': {
        const language = (values.language as string | undefined) ?? 'en';
        const currency = (values.currency as string | undefined) ?? 'EUR';
        const timeZone = (values['time-zone'] as string | undefined) ?? 'Europe/Paris';
        if (!isLanguage(language)) throw new UsageError('--language must be one of en, fr, pt-BR, zh-CN, cs, de, el, es, fi, hi');
        if (!isActiveCurrency(currency)) throw new UsageError('--currency must be an active ISO 4217 code');
        if (!Intl.supportedValuesOf('timeZone').includes(timeZone) && timeZone !== 'UTC') throw new UsageError('--time-zone must be an IANA time zone');
        const { company, ownerUserId } = await createCompanyWithOwner(deps.db, deps.clock, {
          name: need(values, 'name'), timeZone, defaultLanguage: language, baseCurrency: currency,
          owner: { email: email(), password: need(values, 'password') },
        }, { allowExistingUser: true });
        out({ id: company.id, slug: company.slug, ownerUserId });
        return 0;
      }
      case 'user:create': {
        const t = await tenantOf();
        const addMembership = !!values['add-membership'];
        // A password given with --add-membership would be ignored: say so rather than pretend it was set.
        if (addMembership && values.password !== undefined) throw new UsageError('--password cannot be used with --add-membership (the existing user keeps their password)');
        const r = await createMemberUser(deps, systemCtx(t.id), {
          email: email(), password: addMembership ? undefined : need(values, 'password'), role: role(), addMembership,
          firstName: (values['first-name'] as string | undefined) ?? null, lastName: (values['last-name'] as string | undefined) ?? null,
        });
        out({ id: r.id });
        return 0;
      }
      case 'apikey:create': {
        const t = await tenantOf();
        const k = await createApiKey(deps, systemCtx(t.id), { name: need(values, 'name'), role: role() });
        out({ id: k.id, secret: k.secret });
        return 0;
      }
      case 'import': {
        const t = await tenantOf();
        const file = resolve(need(values, 'file'));
        if (!existsSync(file)) throw new UsageError(`--file ${file} does not exist`);
        const mapping: Record<string, string> = {};
        for (const m of (values.map as string[] | undefined) ?? []) {
          const eq = m.indexOf('=');
          if (eq < 1) throw new UsageError(`--map takes field=Header, got "${m}"`);
          mapping[m.slice(0, eq)] = m.slice(eq + 1);
        }
        const parsed = importOptions.safeParse({
          mode: values.mode ?? 'delta', source: values.source ?? 'default', mapping, sheet: values.sheet,
          dryRun: !!values['dry-run'], skipInvalid: !!values['skip-invalid'],
        });
        if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
        const lang = isLanguage(t.defaultLanguage) ? t.defaultLanguage : 'en';
        const job = await queueImport(deps, systemCtx(t.id), { fileName: basename(file), filePath: file, fileSha256: null, fileBytes: statSync(file).size }, parsed.data, lang);
        const summary = await runImportJob(deps, t.id, job.id);
        out({ importId: job.id, ...summary });
        // Done = the file was read and, unless a dry run, written; invalid rows without --skip-invalid write nothing.
        return summary.fileError || (!parsed.data.dryRun && !summary.isWritten) ? 1 : 0;
      }
      case 'tenant:export': {
        const t = await tenantOf();
        const file = resolve(need(values, 'out'));
        const hash = createHash('sha256');
        const stream = companyZipStream(deps.db, t.id, deps.clock.now().toISOString(), deps.config.dataDir);
        stream.on('data', (c: Buffer) => hash.update(c));
        await pipeline(stream, createWriteStream(file));
        await audit(deps.db, deps.clock, systemCtx(t.id), t.id, { action: 'company.exported', entityType: 'company', entityId: t.id, after: { kind: 'zip', file } });
        out({ file, bytes: statSync(file).size, sha256: hash.digest('hex') });
        return 0;
      }
      case 'tenant:import': {
        const file = resolve(need(values, 'file'));
        if (!existsSync(file)) throw new UsageError(`--file ${file} does not exist`);
        const r = await importCompanyArchive(deps, file, { name: need(values, 'name') }, { actor: { type: 'system', label: 'cli tenant:import' }, tenantId: null, role: null, ip: '' });
        out({ id: r.id, slug: r.slug });
        return 0;
      }
      case 'demo:seed': {
        const d = await seedDemoCompany(deps);
        out({ tenantId: d.tenantId, email: d.email, password: d.password });
        return 0;
      }
    }
    return 2;
  } finally {
    await deps.close();
  }
}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
      out({ error: { code: 'USAGE', message: (err as Error).message } });
      process.exit(2);
    }
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      out({ error: { code: 'CONFIG_INVALID', message: err.message } });
      process.exit(1);
    }
    if (err instanceof AppError) {
      const fields = err.fields.map((f) => ({ path: f.path, message: translate('en', `errors:field.${f.key}`, f.params) }));
      out({ error: { code: err.code, message: translate('en', `errors:code.${err.code}`, err.params), ...(fields.length ? { fields } : {}) } });
      process.exit(1);
    }
    if (err instanceof z.ZodError) {
      out({ error: { code: 'VALIDATION_FAILED', message: err.issues.map((i) => i.message).join('; ') } });
      process.exit(1);
    }
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    out({ error: { code: 'INTERNAL', message: 'command failed; see the log on stderr' } });
    process.exit(1);
  });
