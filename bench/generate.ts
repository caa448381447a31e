import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { mulberry32 } from '../server/modules/demo/prng';

/**
 * A seeded, deterministic company: `customers` debtors and `documents` rows — invoices (about 20 % left open),
 * payments naming the invoice they settle, credit notes — over two years, in EUR, USD and GBP. Same seed, same file.
 */
export type GenOptions = { customers: number; documents: number; seed?: number; today?: string };

const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'GBP'];
export const HEADER = ['customerCode', 'customerName', 'documentType', 'number', 'issuedOn', 'dueOn', 'currency', 'amount', 'appliesTo'];

function addDays(date: string, n: number) {
  return new Date(Date.parse(date) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Yields rows of the company's ledger as import rows (strings), invoices before the payments that name them. */
export function* ledgerRows(o: GenOptions): Generator<string[]> {
  const rnd = mulberry32(o.seed ?? 42);
  const today = o.today ?? '2026-11-20';
  const customerCurrency = Array.from({ length: o.customers }, () => CURRENCIES[Math.floor(rnd() * CURRENCIES.length)]);
  let emitted = 0;
  let n = 0;
  while (emitted < o.documents) {
    n++;
    const c = Math.floor(rnd() * o.customers);
    const code = `C${String(c).padStart(6, '0')}`;
    const name = `Customer ${c}`;
    const currency = customerCurrency[c];
    const issuedOn = addDays(today, -Math.floor(rnd() * 730));
    const dueOn = addDays(issuedOn, [30, 45, 60][Math.floor(rnd() * 3)]);
    const cents = 5_000 + Math.floor(rnd() * 2_000_000);
    const amount = (cents / 100).toFixed(2);
    const number = `INV${String(n).padStart(8, '0')}`;
    yield [code, name, 'invoice', number, issuedOn, dueOn, currency, amount, ''];
    emitted++;
    const r = rnd();
    if (emitted < o.documents && r < 0.8 && dueOn < today) {
      // Paid: most in full, some partly, a few by a credit note.
      const paidOn = addDays(dueOn, Math.floor(rnd() * 40) - 10);
      const isCredit = r < 0.06;
      const part = r < 0.1 ? Math.floor(cents / 2) : cents;
      yield [code, name, isCredit ? 'credit_note' : 'payment', isCredit ? `CN${String(n).padStart(8, '0')}` : `PAY${String(n).padStart(8, '0')}`, paidOn < today ? paidOn : today, '', currency, (part / 100).toFixed(2), number];
      emitted++;
    }
  }
}

export async function writeCsv(path: string, o: GenOptions): Promise<number> {
  const out = createWriteStream(path);
  let rows = 0;
  let buf = HEADER.join(',') + '\n';
  for (const r of ledgerRows(o)) {
    buf += r.join(',') + '\n';
    rows++;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return rows;
}

export async function writeXlsx(path: string, o: GenOptions): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path });
  const ws = wb.addWorksheet('Ledger');
  ws.addRow(HEADER).commit();
  let rows = 0;
  for (const r of ledgerRows(o)) {
    // Real exports carry typed cells: dates as dates, amounts as numbers.
    ws.addRow([r[0], r[1], r[2], r[3], new Date(`${r[4]}T00:00:00Z`), r[5] ? new Date(`${r[5]}T00:00:00Z`) : null, r[6], Number(r[7]), r[8]]).commit();
    rows++;
  }
  ws.commit();
  await wb.commit();
  return rows;
}
