import { Alert, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormActions } from '../../components/FormActions';
import { api } from '../../api/client';
import { decimalSeparator, formatDate, formatMoney, fromMinor, toMinor } from '../../components/format';
import { useApiForm } from '../../components/useApiForm';
import { documentLabel, type LedgerDocument } from './document';
import { ApiForm } from '../../components/ApiForm';

/** Settles an open invoice with (part of) an unallocated payment or credit note of the same customer and currency. */
export function AllocateModal({ credit, invoices, today, onClose, onDone }: {
  credit: LedgerDocument | null; invoices: LedgerDocument[]; today: string; onClose: () => void; onDone: () => void | Promise<void>;
}) {
  const { t, i18n } = useTranslation('ledger');
  const form = useApiForm();
  const [invoiceId, setInvoiceId] = useState<string | null>(null);
  const [amount, setAmount] = useState<number | ''>('');
  const [allocatedOn, setAllocatedOn] = useState(today);
  const candidates = credit ? invoices.filter((i) => i.type === 'invoice' && i.openMinor > 0 && i.currency === credit.currency) : [];
  const invoice = candidates.find((i) => i.id === invoiceId);
  useEffect(() => {
    setInvoiceId(null);
    setAmount('');
    setAllocatedOn(today);
  }, [credit, today]);
  if (!credit) return null;
  const money = (minor: number) => formatMoney(minor, credit.currency, i18n.language);
  const choose = (id: string | null) => {
    setInvoiceId(id);
    const inv = candidates.find((i) => i.id === id);
    if (inv) setAmount(fromMinor(Math.min(-credit.openMinor, inv.openMinor), credit.currency));
  };

  return (
    <Modal opened onClose={onClose} title={t('allocate.title')} size="lg">
      <ApiForm
        form={form}
        testId="allocate-form"
        submit={async () => {
          await api('POST', '/api/v1/allocations', { fromDocumentId: credit.id, toDocumentId: invoiceId ?? '', amountMinor: amount === '' ? 0 : toMinor(amount, credit.currency), allocatedOn });
          await onDone();
          onClose();
        }}
      >
        <Stack>
          {form.error && <Alert color="red" role="alert">{form.error}</Alert>}
          <Text size="sm">
            {t('allocate.from', { document: documentLabel(credit, t), amount: money(-credit.openMinor) })}
          </Text>
          {candidates.length === 0 ? (
            <Alert color="yellow">{t('allocate.noInvoice')}</Alert>
          ) : (
            <Select
              label={t('allocate.invoice')}
              required
              searchable
              data={candidates.map((i) => ({ value: i.id, label: `${i.number ?? '—'} · ${formatDate(i.dueOn, i18n.language)} · ${money(i.openMinor)}` }))}
              value={invoiceId}
              onChange={choose}
              error={form.fields.toDocumentId}
            />
          )}
          <NumberInput
            label={t('allocate.amount', { currency: credit.currency })}
            required
            min={0}
            decimalSeparator={decimalSeparator(i18n.language)}
            value={amount}
            onChange={(x) => setAmount(x === '' ? '' : Number(x))}
            error={form.fields.amountMinor}
            description={invoice ? t('allocate.openOnInvoice', { amount: money(invoice.openMinor) }) : undefined}
          />
          <TextInput type="date" label={t('allocate.date')} value={allocatedOn} onChange={(e) => setAllocatedOn(e.currentTarget.value)} error={form.fields.allocatedOn} />
          <FormActions onCancel={onClose} busy={form.busy} disabled={!invoiceId} submitLabel={t('allocate.submit')} />
        </Stack>
      </ApiForm>
    </Modal>
  );
}
