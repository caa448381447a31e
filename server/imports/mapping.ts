// Column headers of real exports → import fields (CONTRACTS.md "Import fields"), and document-type words → ids.
// Users rarely rename their ERP's columns, so the automatic mapping has to know the wordings of ten languages and
// of the usual ERPs; the user can still override any suggestion (`--map field=Header`).

export const IMPORT_FIELDS = [
  'customerCode', 'customerName', 'customerLanguage', 'customerCurrency',
  'contactEmail', 'contactFirstName', 'contactLastName', 'contactPhone',
  'documentType', 'number', 'issuedOn', 'dueOn', 'currency', 'amount', 'openAmount', 'appliesTo', 'paidOn', 'reference',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export type DocumentType = 'invoice' | 'credit_note' | 'payment' | 'adjustment';

// Roughly one line per language: en, fr, pt-BR, zh-CN, cs, de, el, es, fi, hi, with ERP names mixed in (SAP
// FBL5N, French FEC columns). Variants that normalise alike need not be repeated: case, accents, punctuation,
// "N°/No/Nr/#" and articles ("de", "d'", "of") are ignored. A leading "=" marks a generic word ("Date", "Name",
// "Invoice") that counts only as the whole header: inside a longer one ("Invoice currency") it says little.
const ALIASES: Record<ImportField, readonly string[]> = {
  customerCode: [
    'customer code', 'customer id', 'customer no', 'customer number', 'customer account', '=account', 'account number', 'client code', 'client id', 'client no', '=debtor', 'debtor code', 'debtor no', 'debtor number',
    'code client', 'n° client', 'numéro client', 'compte client', 'code tiers', 'compte tiers', 'référence client', 'compte auxiliaire', 'CompAuxNum',
    'código do cliente', 'número do cliente', 'id do cliente', 'cod cliente', 'conta do cliente',
    '客户编号', '客户代码', '客户编码', '客户号', '客户ID', '客户账号',
    'kód zákazníka', 'číslo zákazníka', 'ID zákazníka', 'kód odběratele', 'číslo odběratele',
    'Kundennummer', 'Kunden-Nr.', 'Kundennr', '=Debitor', 'Debitorennummer', 'Debitoren-Nr.', 'Kontonummer', '=Konto',
    'κωδικός πελάτη', 'αριθμός πελάτη', 'κωδ. πελάτη',
    'código de cliente', 'número de cliente', 'id cliente', 'cuenta cliente', 'cuenta de cliente',
    'asiakasnumero', 'asiakastunnus', 'asiakasnro', 'asiakas nro', 'asiakkaan numero',
    'ग्राहक कोड', 'ग्राहक संख्या', 'ग्राहक आईडी', 'ग्राहक क्रमांक',
  ],
  customerName: [
    'customer name', '=customer', '=client', 'client name', 'company name', '=company', 'debtor name', 'account name', '=name', 'sold-to party', 'bill-to name',
    'raison sociale', 'nom client', 'nom du client', '=nom', '=société', '=tiers', 'CompAuxLib',
    'nome do cliente', '=cliente', 'razão social', '=nome', 'empresa',
    '客户名称', '=客户', '客户名', '公司名称',
    'název zákazníka', '=zákazník', '=odběratel', 'název odběratele', 'jméno zákazníka', 'název firmy', '=firma',
    'Kundenname', '=Kunde', '=Name', 'Firmenname', 'Debitorname', 'Debitorenname',
    'επωνυμία', '=πελάτης', 'όνομα πελάτη', 'επωνυμία πελάτη',
    'nombre del cliente', 'razón social', '=nombre', 'nombre cliente',
    'asiakkaan nimi', '=asiakas', '=nimi', 'yritys', 'yrityksen nimi',
    'ग्राहक का नाम', '=ग्राहक', 'ग्राहक नाम', 'कंपनी का नाम',
  ],
  customerLanguage: [
    'language', 'customer language', 'locale', 'langue', 'langue client', 'idioma', 'idioma do cliente', '语言', '客户语言',
    'jazyk', 'jazyk zákazníka', 'Sprache', 'Kundensprache', 'γλώσσα', 'idioma del cliente', 'kieli', 'asiakkaan kieli', 'भाषा',
  ],
  customerCurrency: [
    'customer currency', 'account currency', 'devise client', 'monnaie client', 'moeda do cliente', '客户币种', '客户货币',
    'měna zákazníka', 'Kundenwährung', 'νόμισμα πελάτη', 'moneda del cliente', 'asiakkaan valuutta', 'ग्राहक मुद्रा',
  ],
  contactEmail: [
    'email', 'e-mail', '=mail', 'email address', 'contact email', 'courriel', 'adresse e-mail', 'adresse mail', 'e-mail do contato',
    'e-mail de contato', '电子邮件', '邮箱', '电子邮箱', 'e-mail kontaktu', 'E-Mail-Adresse', 'ηλεκτρονικό ταχυδρομείο', 'email επαφής',
    'correo', 'correo electrónico', 'sähköposti', 'sähköpostiosoite', 'ईमेल', 'ई-मेल',
  ],
  contactFirstName: [
    'first name', 'given name', 'contact first name', 'prénom', 'prénom du contact', 'primeiro nome', 'nome do contato', '=名', '=名字',
    '=jméno', 'křestní jméno', 'Vorname', '=όνομα', 'όνομα επαφής', 'nombre de contacto', 'nombre del contacto', 'etunimi', 'पहला नाम',
  ],
  contactLastName: [
    'last name', 'surname', 'family name', 'contact last name', 'nom de famille', 'nom du contact', 'sobrenome', 'último nome', '=姓', '姓氏',
    'příjmení', 'Nachname', 'Familienname', 'επώνυμο', 'apellido', 'apellidos', 'sukunimi', 'उपनाम', 'अंतिम नाम',
  ],
  contactPhone: [
    'phone', 'telephone', 'phone number', '=tel', '=mobile', 'contact phone', 'téléphone', 'tél', '=portable', 'telefone', 'celular',
    '电话', '手机', '联系电话', 'telefon', 'telefonní číslo', '=mobil', 'Telefonnummer', 'Mobilnummer', 'τηλέφωνο', 'κινητό',
    'teléfono', 'móvil', 'puhelin', 'puhelinnumero', 'matkapuhelin', 'फ़ोन', 'फोन', 'मोबाइल', 'दूरभाष',
  ],
  documentType: [
    'document type', 'doc type', '=type', 'transaction type', 'entry type', 'type de pièce', 'type de document', '=nature', 'type pièce',
    'tipo de documento', '=tipo', '单据类型', '=类型', '凭证类型', 'typ dokladu', 'druh dokladu', '=typ',
    'Belegart', 'Belegtyp', 'Dokumenttyp', '=Art', 'τύπος παραστατικού', '=τύπος', 'είδος παραστατικού',
    'tipo de comprobante', 'asiakirjan tyyppi', 'tositelaji', '=tyyppi', '=laji', 'दस्तावेज़ प्रकार', 'दस्तावेज प्रकार', '=प्रकार',
  ],
  number: [
    'invoice no', 'invoice number', '=invoice', 'document number', 'document no', 'doc no', '=number', 'invoice id', '=document',
    'n° facture', 'numéro de facture', '=facture', 'n° de pièce', 'numéro de pièce', '=pièce', 'n° document', '=numéro', 'référence pièce', 'PieceRef',
    'número da fatura', '=fatura', 'número do documento', '=número', 'nota fiscal',
    '发票号', '发票号码', '发票编号', '单据号', '单据编号', '凭证号', '=编号',
    'číslo faktury', '=faktura', 'číslo dokladu', '=doklad', 'Rechnungsnummer', 'Rechnungs-Nr.', '=Rechnung', 'Belegnummer', 'Beleg-Nr.', 'Dokumentnummer',
    'αριθμός τιμολογίου', 'αριθμός παραστατικού', '=τιμολόγιο', 'número de factura', '=factura', 'número de documento',
    'laskun numero', 'laskunumero', '=lasku', 'tositenumero', 'asiakirjan numero',
    'चालान संख्या', 'चालान नंबर', '=चालान', 'इनवॉइस नंबर', 'बिल संख्या', 'दस्तावेज़ संख्या',
  ],
  issuedOn: [
    'invoice date', 'issue date', 'document date', '=date', 'date issued', 'issued on',
    'date de facture', 'date facture', 'date de pièce', "date d'émission", 'PieceDate',
    'data da fatura', 'data de emissão', '=data', 'data do documento', '开票日期', '发票日期', '=日期', '单据日期',
    'datum vystavení', 'datum faktury', '=datum', 'Rechnungsdatum', 'Belegdatum', '=Datum',
    'ημερομηνία τιμολογίου', 'ημερομηνία έκδοσης', '=ημερομηνία', 'fecha de factura', '=fecha', 'fecha de emisión', 'fecha documento',
    'laskun päivämäärä', 'laskupäivä', '=päivämäärä', 'chalan date', 'चालान तिथि', 'चालान दिनांक', '=दिनांक', '=तारीख',
  ],
  dueOn: [
    'due date', '=due', 'due on', 'net due date', 'payment due date', 'maturity', 'maturity date',
    'échéance', "date d'échéance", 'date échéance', 'data de vencimento', '=vencimento', '到期日', '到期日期', '付款到期日',
    'datum splatnosti', 'splatnost', '=splatno', 'Fälligkeitsdatum', 'Fällig am', 'Fälligkeit', 'Nettofälligkeit',
    'ημερομηνία λήξης', '=λήξη', 'fecha de vencimiento', '=vencimiento', 'eräpäivä', 'erääntymispäivä', 'नियत तिथि', 'देय तिथि',
  ],
  currency: [
    'currency', 'curr', 'ccy', 'currency code', 'document currency', 'devise', 'monnaie', 'Idevise', 'moeda', '币种', '货币',
    'měna', 'Währung', 'νόμισμα', 'moneda', 'divisa', 'valuutta', 'मुद्रा',
  ],
  amount: [
    'amount', '=total', 'invoice amount', 'gross amount', 'total amount', 'amount incl tax', 'amount in doc curr', 'amount in local currency',
    'montant', 'montant TTC', 'total TTC', 'montant facture', 'montant de la facture', 'valor', 'valor total', 'valor da fatura', 'montante',
    '金额', '总金额', '发票金额', '含税金额', 'částka', '=celkem', 'částka celkem', 'částka s DPH',
    'Betrag', 'Bruttobetrag', 'Rechnungsbetrag', 'Gesamtbetrag', 'ποσό', 'συνολικό ποσό', 'αξία',
    'importe', 'importe total', 'total factura', 'summa', 'määrä', 'laskun summa', 'kokonaissumma', 'राशि', 'कुल राशि', 'रकम',
  ],
  openAmount: [
    'open amount', 'balance', 'amount due', 'due amount', 'outstanding', 'outstanding amount', 'remaining amount', 'open balance', 'balance due', 'amount open',
    'reste dû', 'reste à payer', 'solde', 'montant restant', 'montant dû', 'restant dû', 'solde dû',
    'valor em aberto', 'saldo devedor', 'valor pendente', 'em aberto', 'saldo', '未付金额', '余额', '未结金额', '应收余额',
    'zbývá uhradit', 'zůstatek', 'neuhrazeno', 'k úhradě', 'offener Betrag', '=Offen', 'Restbetrag', 'offener Saldo',
    'υπόλοιπο', 'ανεξόφλητο ποσό', 'importe pendiente', 'saldo pendiente', '=pendiente',
    'avoin summa', 'avoinna', 'jäljellä', 'maksamatta', 'शेष राशि', 'बकाया', 'बकाया राशि',
  ],
  appliesTo: [
    'applies to', 'applied to', 'related invoice', 'original invoice', 'settles invoice', 'matched invoice',
    'facture liée', "facture d'origine", 'facture associée', 'facture réglée', 'fatura relacionada', 'fatura original',
    '关联发票', '原发票', '对应发票', 'související faktura', 'původní faktura', 'k faktuře',
    'Bezugsrechnung', 'Ursprungsrechnung', 'zugehörige Rechnung', 'σχετικό τιμολόγιο', 'αρχικό τιμολόγιο',
    'factura relacionada', 'factura original', 'factura de origen', 'hyvitettävä lasku', 'alkuperäinen lasku', 'kohdistettu lasku',
    'संबंधित चालान', 'मूल चालान',
  ],
  paidOn: [
    'paid on', 'payment date', 'date paid', 'paid date', 'settlement date', 'clearing date', 'cleared on',
    'date de paiement', 'date de règlement', 'payé le', 'réglé le', 'data de pagamento', 'data do pagamento', 'pago em',
    '付款日期', '支付日期', '收款日期', 'datum úhrady', 'datum platby', 'zaplaceno dne', 'Zahlungsdatum', 'Bezahlt am', 'Ausgleichsdatum',
    'ημερομηνία πληρωμής', 'ημερομηνία εξόφλησης', 'fecha de pago', 'fecha de cobro', 'maksupäivä', 'maksettu', 'भुगतान तिथि', 'भुगतान की तारीख',
  ],
  reference: [
    'reference', '=ref', 'payment reference', 'your reference', 'customer reference', 'po number', 'purchase order', '=description', '=text',
    'référence', 'réf', 'référence paiement', '=libellé', 'EcritureLib', 'referência', 'descrição', '参考号', '=备注', '=摘要',
    'variabilní symbol', '=VS', '=popis', 'Referenz', 'Verwendungszweck', 'Zahlungsreferenz', 'Buchungstext', '=Text',
    'αιτιολογία', 'αναφορά', 'referencia', '=concepto', 'viite', 'viitenumero', 'संदर्भ', '=विवरण',
  ],
};

// Abbreviations of "number" that decorate a header without changing its meaning ("N° facture", "Kunden-Nr.",
// "Invoice #", "Č. faktury", "Αρ. τιμολογίου"), and articles/prepositions that vary between exports.
const NOISE = new Set(['#', 'n', 'no', 'nr', 'nro', 'num', 'nb', 'c', 'αρ']);
const STOPWORDS = new Set(['de', 'du', 'des', 'd', 'la', 'le', 'les', 'l', 'à', 'a', 'au', 'o', 'aux', 'en', 'et', 'of', 'the', 'and', 'der', 'die', 'das', 'und', 'del', 'do', 'da', 'dos', 'el', 'los', 'y']);

function tokenize(text: string): string[] {
  const lower = text.normalize('NFKC').toLowerCase(); // NFKC: full-width "：（" from Chinese Excel, "º" → "o"
  // Articles are dropped before accents are, so that "dû" (owed) is not mistaken for the article "du".
  return (lower.match(/[\p{L}\p{M}\p{N}]+|#/gu) ?? [])
    .filter((token) => !STOPWORDS.has(token))
    .map((token) =>
      token
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '') // Latin and Greek accents; Devanagari vowel signs are kept
        .replace(/ς/g, 'σ')
        .replace(/ß/g, 'ss'),
    );
}

/** Canonical form of a header: lower case, no accents or punctuation, "number" abbreviations written `#`. */
export function normalizeHeader(text: string): string {
  return headerKey(text).exact;
}

interface HeaderKey {
  exact: string; // normalised text, "number" noise written '#'
  tokens: string[]; // its words
  core: string[]; // its words without the noise
}

function headerKey(header: string): HeaderKey {
  const words = tokenize(header.slice(0, 200));
  const tokens = words.map((t) => (NOISE.has(t) ? '#' : t));
  return { exact: tokens.join(' '), tokens, core: words.filter((t) => !NOISE.has(t)) };
}

interface AliasKey extends HeaderKey {
  field: ImportField;
  isWholeHeaderOnly: boolean;
}

const ALIAS_KEYS: AliasKey[] = IMPORT_FIELDS.flatMap((field) =>
  ALIASES[field].map((written) => {
    const key = headerKey(written.replace(/^=/, ''));
    return { field, ...key, isWholeHeaderOnly: written.startsWith('=') };
  }),
);

const HAN = /\p{Script=Han}/u;

/**
 * How well a header names a field: 100 for an alias as written, 90 once "N°"-style noise is ignored, 41–70 when
 * the header contains every word of an alias ("Montant TTC EUR" ⊃ "montant TTC"), Chinese by substring since it has
 * no spaces. 0 otherwise.
 */
function score(header: HeaderKey, alias: AliasKey): number {
  const { exact, tokens, core } = header;
  if (exact === '' || alias.core.length === 0) return 0;
  if (exact === alias.exact) return 100;
  if (core.join(' ') === alias.core.join(' ')) return 90;
  if (alias.isWholeHeaderOnly) return 0;
  const aliasText = alias.core.join('');
  if (HAN.test(aliasText)) {
    if (aliasText.length < 2) return 0;
    const headerText = core.join('');
    return headerText.includes(aliasText) ? Math.max(41, 70 - (headerText.length - aliasText.length) * 3) : 0;
  }
  if (alias.tokens.every((token) => tokens.includes(token))) {
    return Math.max(41, 55 + 5 * alias.tokens.length - 3 * (tokens.length - alias.tokens.length));
  }
  return 0;
}

/** The field a header most likely names, with its score; undefined when no alias fits. */
export function matchHeader(header: string): { field: ImportField; score: number } | undefined {
  let best: { field: ImportField; score: number } | undefined;
  const key = headerKey(header);
  for (const alias of ALIAS_KEYS) {
    const value = score(key, alias);
    if (value > 0 && (!best || value > best.score)) best = { field: alias.field, score: value };
  }
  return best;
}

/**
 * Suggests field → header for a file's header row. Each header and each field is used at most once; the strongest
 * pairs are chosen first, so "Amount" goes to `amount` even when "Open amount" also contains the word.
 */
export function suggestMapping(headers: readonly string[]): Partial<Record<ImportField, string>> {
  const candidates: { header: number; field: ImportField; score: number }[] = [];
  headers.forEach((header, index) => {
    const best = new Map<ImportField, number>();
    const key = headerKey(header);
    for (const alias of ALIAS_KEYS) {
      const value = score(key, alias);
      if (value > (best.get(alias.field) ?? 0)) best.set(alias.field, value);
    }
    for (const [field, value] of best) candidates.push({ header: index, field, score: value });
  });
  const fieldOrder = (field: ImportField) => IMPORT_FIELDS.indexOf(field);
  candidates.sort((a, b) => b.score - a.score || a.header - b.header || fieldOrder(a.field) - fieldOrder(b.field));
  const mapping: Partial<Record<ImportField, string>> = {};
  const usedHeaders = new Set<number>();
  for (const candidate of candidates) {
    if (mapping[candidate.field] !== undefined || usedHeaders.has(candidate.header)) continue;
    mapping[candidate.field] = headers[candidate.header];
    usedHeaders.add(candidate.header);
  }
  return mapping;
}

// Words and codes for each document type. The sign of an amount comes from its type (CONTRACTS.md), so a
// wrong guess here would flip money: unknown words stay undefined and become a row error instead.
const DOCUMENT_TYPE_WORDS: Record<DocumentType, readonly string[]> = {
  invoice: [
    'invoice', 'INV', 'bill', 'debit note', '380', '383', 'DR', // en, UN/CEFACT 1001 codes, SAP customer invoice
    'facture', 'FAC', 'FA', 'FACT', 'note de débit', 'fatura', 'nota fiscal', '发票', '销售发票', 'faktura', 'FV',
    'Rechnung', 'RE', 'Ausgangsrechnung', 'τιμολόγιο', 'τιμολόγιο πώλησης', 'factura', 'FRA', 'lasku', 'myyntilasku', 'चालान', 'बीजक', 'इनवॉइस',
  ],
  credit_note: [
    'credit note', 'credit memo', 'credit', 'CN', 'CRN', 'CM', '381', 'DG', // DG: SAP customer credit memo
    'avoir', 'AVO', 'AV', 'facture d’avoir', 'nota de crédito', 'NC', 'abono', 'factura rectificativa', 'fatura de crédito',
    '贷项通知单', '红字发票', '贷记单', 'dobropis', 'opravný daňový doklad', 'Gutschrift', 'GS', 'Rechnungskorrektur',
    'πιστωτικό', 'πιστωτικό τιμολόγιο', 'hyvityslasku', 'hyvitys', 'क्रेडिट नोट', 'जमा पत्र',
  ],
  payment: [
    'payment', 'PMT', 'PAY', 'PYMT', 'receipt', 'DZ', // DZ: SAP customer payment
    'règlement', 'RGL', 'REG', 'paiement', 'encaissement', 'ENC', 'pagamento', 'recebimento', '付款', '收款', '付款单', '收款单',
    'platba', 'úhrada', 'Zahlung', 'Zahlungseingang', 'ZE', 'πληρωμή', 'είσπραξη', 'pago', 'cobro', 'maksu', 'suoritus', 'भुगतान',
  ],
  adjustment: [
    'adjustment', 'ADJ', 'write-off', 'OD', 'ajustement', 'régularisation', 'opération diverse', 'ajuste', '调整', 'úprava',
    'oprava', 'Korrektur', 'Anpassung', 'Ausbuchung', 'προσαρμογή', 'διόρθωση', 'korjaus', 'oikaisu', 'समायोजन',
  ],
};

const DOCUMENT_TYPES = new Map<string, DocumentType>(
  (Object.keys(DOCUMENT_TYPE_WORDS) as DocumentType[]).flatMap((type) =>
    DOCUMENT_TYPE_WORDS[type].map((word) => [tokenize(word).join(' '), type] as [string, DocumentType]),
  ),
);

/** Reads a document-type cell; the English ids (`credit_note`) are accepted as written. */
export function parseDocumentType(raw: unknown): DocumentType | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const text = String(raw);
  if (text.length > 100) return undefined;
  return DOCUMENT_TYPES.get(tokenize(text).join(' '));
}
