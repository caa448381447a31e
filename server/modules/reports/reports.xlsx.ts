import ExcelJS from 'exceljs';
import type { TFunction } from 'i18next';
import { bucketLabel as labelOfBucket } from '../../../common/aging-buckets';
import { DATE_FORMAT, excelDate, majorUnits, moneyFormat } from '../exports/spreadsheet';
import type { getCollectors, getForecast, getPayerProfiles } from './reports.collections.service';
import type { getAging, getAgingItems, getDso, getDsoTrend, getTopLateCustomers } from './reports.service';

/**
 * Excel exports of the reports, headers in the caller's language. Money is written as numbers in major units with the
 * currency's decimals, beside a currency column (never summed across currencies); calendar dates as Excel dates and
 * months as the first day of the month shown "yyyy-mm", so that a reader can sort, filter and compute on them. Text
 * cells that a spreadsheet would read as a formula (= + - @, tab, carriage return) are neutralised with a leading
 * single quote (OWASP CSV injection).
 */

type Result<F extends (...args: any[]) => any> = Awaited<ReturnType<F>>;
type Cell = string | number | null | { money: number; currency: string } | { date: string | null } | { month: string };

export function neutraliseText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The value of a cell and its number format, if any. */
function cellValue(cell: Cell): { value: ExcelJS.CellValue; numFmt?: string } {
  if (cell === null) return { value: null };
  if (typeof cell === 'string') return { value: neutraliseText(cell) };
  if (typeof cell === 'number') return { value: cell };
  if ('money' in cell) return { value: majorUnits(cell.money, cell.currency), numFmt: moneyFormat(cell.currency) };
  const iso = 'date' in cell ? cell.date : `${cell.month}-01`;
  if (iso === null) return { value: null };
  const date = excelDate(iso);
  if (!date) return { value: neutraliseText('date' in cell ? iso : cell.month) };
  return { value: date, numFmt: 'date' in cell ? DATE_FORMAT : 'yyyy-mm' };
}

function addLine(ws: ExcelJS.Worksheet, cells: Cell[]): ExcelJS.Row {
  const values = cells.map(cellValue);
  const row = ws.addRow(values.map((v) => v.value));
  values.forEach((v, i) => {
    if (v.numFmt) row.getCell(i + 1).numFmt = v.numFmt;
  });
  return row;
}

function addTable(ws: ExcelJS.Worksheet, headers: string[], rows: Cell[][]) {
  const header = ws.addRow(headers.map(neutraliseText));
  header.font = { bold: true };
  for (const r of rows) addLine(ws, r);
  ws.columns.forEach((column) => {
    column.width = 16;
  });
}

function workbook(t: TFunction, sheetKey: string) {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'DSO Manager';
  const ws = wb.addWorksheet(t(`reports:xlsx.sheet.${sheetKey}`).slice(0, 31));
  return { wb, ws };
}

const money = (amount: number, currency: string): Cell => ({ money: amount, currency });
const date = (iso: string | null | undefined): Cell => ({ date: iso ?? null });
const month = (key: string): Cell => ({ month: key });
/** The company's bucket keys read as the dashboard shows them ("16–30 days"; its own names as typed). */
const bucketLabel = (t: TFunction, key: string) => labelOfBucket((k, o) => t(`reports:${k}`, o), key);

export function agingSheet(t: TFunction, r: Result<typeof getAging>) {
  const { wb, ws } = workbook(t, 'aging');
  addLine(ws, [t('reports:fields.asOf'), date(r.asOf)]);
  ws.addRow([]);
  const keys = r.buckets.map((b) => b.key);
  addTable(
    ws,
    [t('reports:fields.currency'), ...keys.map((k) => bucketLabel(t, k)), t('reports:fields.total'), t('reports:fields.unallocated')],
    r.rows.map((row) => [row.currency, ...keys.map((k) => money(row.amountsMinor[k], row.currency)), money(row.totalMinor, row.currency), money(row.unallocatedMinor, row.currency)]),
  );
  if (r.converted) {
    const c = r.converted;
    ws.addRow([]);
    addLine(ws, [t('reports:xlsx.convertedTo', { currency: c.currency })]).font = { bold: true };
    addTable(ws, [t('reports:fields.currency'), ...keys.map((k) => bucketLabel(t, k)), t('reports:fields.total'), t('reports:fields.unallocated')], [
      [c.currency, ...keys.map((k) => money(c.amountsMinor[k], c.currency)), money(c.totalMinor, c.currency), money(c.unallocatedMinor, c.currency)],
    ]);
    ws.addRow([]);
    addTable(
      ws,
      [t('reports:fields.currency'), t('reports:fields.rate'), t('reports:fields.rateOn'), t('reports:fields.source')],
      c.rates.flatMap((rate) => rate.legs.map((leg) => [rate.currency, `1 ${leg.baseCurrency} = ${leg.rate} ${leg.quoteCurrency}`, date(leg.rateOn), t(`reports:rateSource.${leg.source}`)])),
    );
    if (c.missingCurrencies.length) addLine(ws, [t('reports:xlsx.missingRates'), c.missingCurrencies.join(', ')]);
  }
  return wb;
}

export function dsoSheet(t: TFunction, r: Result<typeof getDso>) {
  const { wb, ws } = workbook(t, 'dso');
  const e = r.explanation;
  addTable(ws, [t('reports:fields.figure'), t('reports:fields.value')], [
    [t('reports:fields.asOf'), date(r.asOf)],
    [t('reports:fields.currency'), r.currency],
    [t('reports:fields.method'), t(`reports:methods.${r.method}`)],
    [t('reports:fields.months'), r.months],
    [t('reports:kpi.dso'), r.dso],
    [t('reports:kpi.bestPossibleDso'), r.bestPossibleDso],
    [t('reports:kpi.averageDaysDelinquent'), r.averageDaysDelinquent],
    [t('reports:kpi.cei'), r.cei],
    [t('reports:explain.receivables'), money(e.receivablesMinor, r.currency)],
    [t('reports:explain.notYetDue'), money(e.notYetDueMinor, r.currency)],
    [t('reports:explain.openingReceivables', { date: e.openingReceivablesOn }), money(e.openingReceivablesMinor, r.currency)],
    [t('reports:explain.periodSales'), money(e.periodSalesMinor, r.currency)],
    [t('reports:explain.periodDays'), e.periodDays],
  ]);
  ws.addRow([]);
  addTable(ws, [t('reports:fields.month'), t('reports:fields.days'), t('reports:fields.sales')], e.periodMonths.map((m) => [month(m.monthKey), m.days, money(m.salesMinor, r.currency)]));
  for (const [label, walk] of e.countback ? ([['dso', e.countback.dso], ['bestPossibleDso', e.countback.bestPossibleDso]] as const) : []) {
    ws.addRow([]);
    addLine(ws, [t('reports:explain.countbackOf', { figure: t(`reports:kpi.${label}`) })]).font = { bold: true };
    addTable(
      ws,
      [t('reports:fields.month'), t('reports:fields.sales'), t('reports:fields.daysAdded'), t('reports:fields.remainder')],
      walk.steps.map((s) => [month(s.monthKey), money(s.salesMinor, r.currency), s.daysAdded, money(s.remainderAfterMinor, r.currency)]),
    );
  }
  return wb;
}

export function dsoTrendSheet(t: TFunction, r: Result<typeof getDsoTrend>) {
  const { wb, ws } = workbook(t, 'dsoTrend');
  addTable(
    ws,
    [t('reports:fields.monthEnd'), t('reports:kpi.dso'), t('reports:explain.receivables'), t('reports:explain.periodSales')],
    r.points.map((p) => [date(p.asOf), p.dso, money(p.receivablesMinor, r.currency), money(p.periodSalesMinor, r.currency)]),
  );
  return wb;
}

export function forecastSheet(t: TFunction, r: Result<typeof getForecast>) {
  const { wb, ws } = workbook(t, 'forecast');
  addTable(
    ws,
    [t('reports:fields.currency'), t('reports:fields.weekOf'), t('reports:fields.expected'), t('reports:fields.items')],
    r.currencies.flatMap((c) => [
      ...c.weeks.map((w): Cell[] => [c.currency, date(w.weekStartOn), money(w.amountMinor, c.currency), w.itemCount]),
      [c.currency, t('reports:forecast.later'), money(c.laterMinor, c.currency), c.laterItemCount],
      [c.currency, t('reports:forecast.excluded'), money(c.excludedMinor, c.currency), null],
    ]),
  );
  return wb;
}

export function payerProfilesSheet(t: TFunction, r: Result<typeof getPayerProfiles>) {
  const { wb, ws } = workbook(t, 'payerProfiles');
  addTable(
    ws,
    [t('reports:fields.customerCode'), t('reports:fields.customer'), t('reports:fields.currency'), t('reports:payers.daysLate'), t('reports:payers.onTimeShare'), t('reports:payers.previousDaysLate'), t('reports:payers.change'), t('reports:payers.trend'), t('reports:payers.paid')],
    r.items.map((p) => [p.customerCode, p.customerName, p.currency, p.current.averageDaysLate, p.current.onTimeSharePercent, p.previous.averageDaysLate, p.changeDays, p.trend ? t(`reports:payers.trends.${p.trend}`) : null, money(p.current.paidMinor, p.currency)]),
  );
  return wb;
}

export function collectorsSheet(t: TFunction, r: Result<typeof getCollectors>) {
  const { wb, ws } = workbook(t, 'collectors');
  addLine(ws, [t('reports:collectors.period'), date(r.fromOn), date(r.toOn)]);
  ws.addRow([]);
  addTable(
    ws,
    [t('reports:collectors.collector'), t('reports:fields.currency'), t('reports:collectors.open'), t('reports:collectors.overdue'), t('reports:collectors.collected'), t('reports:collectors.customers'), t('reports:collectors.actions'), t('reports:collectors.promises')],
    r.items.flatMap((c) => c.currencies.map((l): Cell[] => [c.name ?? t('reports:collectors.unassigned'), l.currency, money(l.openMinor, l.currency), money(l.overdueMinor, l.currency), money(l.collectedMinor, l.currency), l.customersWithOpenItems, t('reports:collectors.notTracked'), t('reports:collectors.notTracked')])),
  );
  return wb;
}

export function agingItemsSheet(t: TFunction, r: Result<typeof getAgingItems>) {
  const { wb, ws } = workbook(t, 'agingItems');
  addLine(ws, [t('reports:fields.asOf'), date(r.asOf), bucketLabel(t, r.bucket), r.currency]);
  ws.addRow([]);
  addTable(
    ws,
    [t('reports:fields.number'), t('reports:fields.customerCode'), t('reports:fields.customer'), t('reports:fields.issuedOn'), t('reports:fields.dueOn'), t('reports:fields.daysPastDue'), t('reports:fields.amount'), t('reports:fields.open')],
    r.items.map((i) => [i.number, i.customerCode, i.customerName, date(i.issuedOn), date(i.dueOn), i.daysPastDue, money(i.amountMinor, i.currency), money(i.openMinor, i.currency)]),
  );
  return wb;
}

export function topLateSheet(t: TFunction, r: Result<typeof getTopLateCustomers>) {
  const { wb, ws } = workbook(t, 'topLate');
  addLine(ws, [t('reports:fields.asOf'), date(r.asOf), r.currency]);
  ws.addRow([]);
  addTable(
    ws,
    [t('reports:fields.customerCode'), t('reports:fields.customer'), t('reports:fields.overdue'), t('reports:fields.invoices'), t('reports:fields.oldestDueOn'), t('reports:fields.daysPastDue')],
    r.items.map((i) => [i.customerCode, i.customerName, money(i.overdueMinor, r.currency), i.invoiceCount, date(i.oldestDueOn), i.maxDaysPastDue]),
  );
  return wb;
}
