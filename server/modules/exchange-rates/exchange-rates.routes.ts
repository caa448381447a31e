import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps';
import { tenantCtx } from '../../http/auth';
import { invalidField, notFound } from '../../http/errors';
import { currencyField, isoDateField } from '../../http/fields';
import { audit } from '../audit-log/audit';

/**
 * The company's dated exchange rates for base-currency views: 1 unit of `baseCurrency` = `rate` units of
 * `quoteCurrency` from `rateOn`. Rates are decimal strings (never floats). The reports use the latest rate on or before
 * the as-of date; the company's rates override the shipped reference rates (tenant '*').
 */
const rateBody = z.strictObject({
  rateOn: isoDateField,
  baseCurrency: currencyField,
  quoteCurrency: currencyField,
  // A positive decimal: digits, an optional point, at least one non-zero digit.
  rate: z.string().regex(/^(?=.*[1-9])\d{1,12}(\.\d{1,12})?$/),
});
const rateKey = z.strictObject({ rateOn: isoDateField, baseCurrency: currencyField, quoteCurrency: currencyField });

export function registerExchangeRateRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['exchange-rates'];
  app.get('/api/v1/exchange-rates', { config: { permission: 'company:read' }, schema: { tags, summary: "The company's dated exchange rates", querystring: z.strictObject({ currency: currencyField.optional() }) } }, async (req) => {
    let q = deps.db.selectFrom('exchange_rates').selectAll().where('tenant_id', '=', tenantCtx(req).tenantId);
    if (req.query.currency) q = q.where((eb) => eb.or([eb('base_currency', '=', req.query.currency!), eb('quote_currency', '=', req.query.currency!)]));
    const rows = await q.orderBy('rate_on', 'desc').orderBy('base_currency').orderBy('quote_currency').limit(1000).execute();
    return { items: rows.map((r) => ({ rateOn: r.rate_on, baseCurrency: r.base_currency, quoteCurrency: r.quote_currency, rate: r.rate })), nextCursor: null };
  });
  app.put('/api/v1/exchange-rates', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Add or replace the rate of a currency pair on a date', body: rateBody } }, async (req) => {
    const ctx = tenantCtx(req);
    const b = req.body;
    if (b.baseCurrency === b.quoteCurrency) throw invalidField('quoteCurrency', 'invalidValue');
    await deps.db.transaction().execute(async (trx) => {
      const key = (q: any) => q.where('tenant_id', '=', ctx.tenantId).where('rate_on', '=', b.rateOn).where('base_currency', '=', b.baseCurrency).where('quote_currency', '=', b.quoteCurrency);
      const before = await key(trx.selectFrom('exchange_rates').selectAll()).executeTakeFirst();
      await key(trx.deleteFrom('exchange_rates')).execute();
      await trx.insertInto('exchange_rates').values({ tenant_id: ctx.tenantId, rate_on: b.rateOn, base_currency: b.baseCurrency, quote_currency: b.quoteCurrency, rate: b.rate }).execute();
      await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'exchange_rate.saved', entityType: 'exchange_rate', entityId: `${b.baseCurrency}/${b.quoteCurrency}@${b.rateOn}`, before, after: b });
    });
    return b;
  });
  app.delete('/api/v1/exchange-rates', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Delete the rate of a currency pair on a date', querystring: rateKey } }, async (req, reply) => {
    const ctx = tenantCtx(req);
    const q = req.query;
    const r = await deps.db.deleteFrom('exchange_rates').where('tenant_id', '=', ctx.tenantId).where('rate_on', '=', q.rateOn).where('base_currency', '=', q.baseCurrency).where('quote_currency', '=', q.quoteCurrency).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound();
    await audit(deps.db, deps.clock, ctx, ctx.tenantId, { action: 'exchange_rate.deleted', entityType: 'exchange_rate', entityId: `${q.baseCurrency}/${q.quoteCurrency}@${q.rateOn}`, before: q });
    return reply.code(204).send();
  });
}
