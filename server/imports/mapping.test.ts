import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMPORT_FIELDS, matchHeader, normalizeHeader, parseDocumentType, suggestMapping } from './mapping';

describe('normalizeHeader', () => {
  it('ignores case, accents, punctuation, articles and number abbreviations alike', () => {
    expect(normalizeHeader("  Date d'Échéance ")).toBe(normalizeHeader('date echeance'));
    expect(normalizeHeader('N° facture')).toBe(normalizeHeader('No. Facture'));
    expect(normalizeHeader('Nº factura')).toBe(normalizeHeader('N.º factura'));
    expect(normalizeHeader('Kunden-Nr.')).toBe('kunden #');
    expect(normalizeHeader('Invoice #')).toBe('invoice #');
    expect(normalizeHeader('ΑΡΙΘΜΟΣ ΤΙΜΟΛΟΓΙΟΥ')).toBe(normalizeHeader('Αριθμός τιμολογίου'));
    expect(normalizeHeader('发票号：')).toBe('发票号');
  });
});

describe('suggestMapping on real header rows', () => {
  it('maps a French ERP aged-balance export', () => {
    const headers = ['Code client', 'Raison sociale', 'N° facture', 'Date facture', "Date d'échéance", 'Montant TTC', 'Reste dû', 'Devise'];
    expect(suggestMapping(headers)).toEqual({
      customerCode: 'Code client',
      customerName: 'Raison sociale',
      number: 'N° facture',
      issuedOn: 'Date facture',
      dueOn: "Date d'échéance",
      amount: 'Montant TTC',
      openAmount: 'Reste dû',
      currency: 'Devise',
    });
  });

  it('maps a French export with piece wording and a balance column', () => {
    const headers = ['Type pièce', 'N° de pièce', 'Date', 'Échéance', 'Client', 'Libellé', 'Montant', 'Solde'];
    expect(suggestMapping(headers)).toEqual({
      documentType: 'Type pièce',
      number: 'N° de pièce',
      issuedOn: 'Date',
      dueOn: 'Échéance',
      customerName: 'Client',
      reference: 'Libellé',
      amount: 'Montant',
      openAmount: 'Solde',
    });
  });

  it('maps an English export and tells amount from open amount', () => {
    const headers = ['Customer code', 'Customer name', 'Invoice No', 'Invoice date', 'Due date', 'Currency', 'Amount', 'Open amount', 'Email', 'Phone'];
    expect(suggestMapping(headers)).toEqual({
      customerCode: 'Customer code',
      customerName: 'Customer name',
      number: 'Invoice No',
      issuedOn: 'Invoice date',
      dueOn: 'Due date',
      currency: 'Currency',
      amount: 'Amount',
      openAmount: 'Open amount',
      contactEmail: 'Email',
      contactPhone: 'Phone',
    });
    expect(suggestMapping(['Invoice number', 'Balance', 'Customer', 'Customer ID'])).toEqual({
      number: 'Invoice number',
      openAmount: 'Balance',
      customerName: 'Customer',
      customerCode: 'Customer ID',
    });
  });

  it('maps a German export', () => {
    const headers = ['Kundennummer', 'Kunde', 'Belegart', 'Rechnungsnummer', 'Rechnungsdatum', 'Fälligkeitsdatum', 'Betrag', 'Offener Betrag', 'Währung', 'Verwendungszweck'];
    expect(suggestMapping(headers)).toEqual({
      customerCode: 'Kundennummer',
      customerName: 'Kunde',
      documentType: 'Belegart',
      number: 'Rechnungsnummer',
      issuedOn: 'Rechnungsdatum',
      dueOn: 'Fälligkeitsdatum',
      amount: 'Betrag',
      openAmount: 'Offener Betrag',
      currency: 'Währung',
      reference: 'Verwendungszweck',
    });
  });

  it('maps Spanish, Portuguese, Czech, Finnish, Greek, Chinese and Hindi headers', () => {
    expect(suggestMapping(['Código de cliente', 'Número de factura', 'Fecha', 'Vencimiento', 'Importe', 'Saldo pendiente', 'Moneda'])).toEqual({
      customerCode: 'Código de cliente', number: 'Número de factura', issuedOn: 'Fecha', dueOn: 'Vencimiento',
      amount: 'Importe', openAmount: 'Saldo pendiente', currency: 'Moneda',
    });
    expect(suggestMapping(['Código do cliente', 'Nº da fatura', 'Data de emissão', 'Data de vencimento', 'Valor', 'Valor em aberto'])).toEqual({
      customerCode: 'Código do cliente', number: 'Nº da fatura', issuedOn: 'Data de emissão', dueOn: 'Data de vencimento',
      amount: 'Valor', openAmount: 'Valor em aberto',
    });
    expect(suggestMapping(['Odběratel', 'Číslo faktury', 'Datum vystavení', 'Splatnost', 'Částka', 'Zbývá uhradit', 'Měna'])).toEqual({
      customerName: 'Odběratel', number: 'Číslo faktury', issuedOn: 'Datum vystavení', dueOn: 'Splatnost',
      amount: 'Částka', openAmount: 'Zbývá uhradit', currency: 'Měna',
    });
    expect(suggestMapping(['Asiakasnumero', 'Laskun numero', 'Laskun päivämäärä', 'Eräpäivä', 'Summa', 'Avoin summa'])).toEqual({
      customerCode: 'Asiakasnumero', number: 'Laskun numero', issuedOn: 'Laskun päivämäärä', dueOn: 'Eräpäivä',
      amount: 'Summa', openAmount: 'Avoin summa',
    });
    expect(suggestMapping(['Κωδικός πελάτη', 'Αριθμός τιμολογίου', 'Ημερομηνία έκδοσης', 'Ημερομηνία λήξης', 'Ποσό', 'Υπόλοιπο'])).toEqual({
      customerCode: 'Κωδικός πελάτη', number: 'Αριθμός τιμολογίου', issuedOn: 'Ημερομηνία έκδοσης', dueOn: 'Ημερομηνία λήξης',
      amount: 'Ποσό', openAmount: 'Υπόλοιπο',
    });
    expect(suggestMapping(['客户编号', '客户名称', '发票号码', '开票日期', '到期日', '金额', '未付金额', '币种'])).toEqual({
      customerCode: '客户编号', customerName: '客户名称', number: '发票号码', issuedOn: '开票日期', dueOn: '到期日',
      amount: '金额', openAmount: '未付金额', currency: '币种',
    });
    expect(suggestMapping(['ग्राहक कोड', 'चालान संख्या', 'चालान तिथि', 'देय तिथि', 'राशि', 'बकाया राशि', 'मुद्रा'])).toEqual({
      customerCode: 'ग्राहक कोड', number: 'चालान संख्या', issuedOn: 'चालान तिथि', dueOn: 'देय तिथि',
      amount: 'राशि', openAmount: 'बकाया राशि', currency: 'मुद्रा',
    });
  });

  it('maps payment and credit-note columns', () => {
    expect(suggestMapping(['Type', 'Number', 'Applies to', 'Payment date', 'Payment reference'])).toEqual({
      documentType: 'Type', number: 'Number', appliesTo: 'Applies to', paidOn: 'Payment date', reference: 'Payment reference',
    });
    expect(suggestMapping(['Date de règlement', "Facture d'origine", 'Prénom', 'Nom de famille', 'Langue'])).toEqual({
      paidOn: 'Date de règlement', appliesTo: "Facture d'origine", contactFirstName: 'Prénom', contactLastName: 'Nom de famille',
      customerLanguage: 'Langue',
    });
  });

  it('maps the columns of a French FEC that matter to receivables', () => {
    const fec = ['JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'CompAuxNum', 'CompAuxLib', 'PieceRef', 'PieceDate', 'EcritureLib', 'Debit', 'Credit', 'EcritureLet', 'DateLet', 'ValidDate', 'Montantdevise', 'Idevise'];
    expect(suggestMapping(fec)).toEqual({
      customerCode: 'CompAuxNum', customerName: 'CompAuxLib', number: 'PieceRef', issuedOn: 'PieceDate', reference: 'EcritureLib', currency: 'Idevise',
    });
  });

  it('matches a longer header by its words, but not a generic word inside another header', () => {
    expect(suggestMapping(['Montant TTC (EUR)', 'Invoice currency'])).toEqual({ amount: 'Montant TTC (EUR)', currency: 'Invoice currency' });
    expect(matchHeader('Date de création')).toBeUndefined();
    expect(matchHeader('Commentaire interne')).toBeUndefined();
    expect(matchHeader('')).toBeUndefined();
  });

  it('uses each header at most once, even when duplicated headers compete', () => {
    const mapping = suggestMapping(['Montant', 'Montant', 'Solde']);
    expect(mapping).toEqual({ amount: 'Montant', openAmount: 'Solde' });
  });

  it('never throws and never maps a header twice on arbitrary header rows', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 30 }), (headers) => {
        const mapping = suggestMapping(headers);
        const used = Object.values(mapping);
        expect(Object.keys(mapping).every((field) => (IMPORT_FIELDS as readonly string[]).includes(field))).toBe(true);
        expect(used.every((header) => headers.includes(header!))).toBe(true);
        expect(new Set(used).size).toBeLessThanOrEqual(used.length);
      }),
    );
  });
});

describe('parseDocumentType', () => {
  it.each([
    ['invoice', 'invoice'], ['credit_note', 'credit_note'], ['payment', 'payment'], ['adjustment', 'adjustment'],
    ['Facture', 'invoice'], ['FAC', 'invoice'], ['INV', 'invoice'], ['Rechnung', 'invoice'], ['Factura', 'invoice'], ['Fatura', 'invoice'],
    ['Faktura', 'invoice'], ['Lasku', 'invoice'], ['发票', 'invoice'], ['चालान', 'invoice'], ['Τιμολόγιο', 'invoice'], ['380', 'invoice'],
    ['Avoir', 'credit_note'], ['AVO', 'credit_note'], ['CN', 'credit_note'], ['CRN', 'credit_note'], ['Gutschrift', 'credit_note'],
    ['Abono', 'credit_note'], ['Nota de crédito', 'credit_note'], ['nota de credito', 'credit_note'], ['Dobropis', 'credit_note'],
    ['Hyvityslasku', 'credit_note'], ['贷项通知单', 'credit_note'], ['Πιστωτικό', 'credit_note'], ['Credit note', 'credit_note'],
    ['Règlement', 'payment'], ['REGLEMENT', 'payment'], ['RGL', 'payment'], ['Paiement', 'payment'], ['PMT', 'payment'], ['PAY', 'payment'],
    ['Zahlung', 'payment'], ['Pago', 'payment'], ['Pagamento', 'payment'], ['Platba', 'payment'], ['Maksu', 'payment'], ['付款', 'payment'],
    ['भुगतान', 'payment'], ['Πληρωμή', 'payment'],
    ['ADJ', 'adjustment'], ['OD', 'adjustment'], ['Régularisation', 'adjustment'],
    ['  avoir  ', 'credit_note'],
  ])('%s → %s', (raw, expected) => {
    expect(parseDocumentType(raw)).toBe(expected);
  });

  it('leaves unknown words undefined so that the row is reported, never guessed', () => {
    for (const raw of ['', 'Devis', 'Order', 'Facture proforma', 'X', undefined, null, {}]) expect(parseDocumentType(raw)).toBeUndefined();
  });
});
