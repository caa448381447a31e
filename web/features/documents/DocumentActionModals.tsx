import { Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDate, formatMoney } from '../../components/format';
import { FormActions } from '../../components/FormActions';
import { useApiForm } from '../../components/useApiForm';
import { documentLabel, type Allocation, type LedgerDocument } from './document';
import { ApiForm } from '../../components/ApiForm';

/**
 * Reverses an allocation with a new, dated, negative one (a bounced payment, a mistake): the invoice gets the amount
 * back as open and the payment as unallocated, while the original allocation stays in the history.
 */
export function ReverseAllocationModal({ allocation, currency, today, onClose, onDone }: {
  allocation: Allocation | null; currency: string; today: string; onClose: () => void; onDone: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation('ledger');
  const form = useApiForm();
  const [reversedOn, setReversedOn] = useState(today);
  useEffect(() => setReversedOn(today), [allocation, today]);
  if (!allocation) return null;
  return (
    <Modal opened onClose={onClose} title={t('reverse.title')}>
      <ApiForm
        form={form}
        testId="reverse-form"
        submit={async () => {
          await api('POST', `/api/v1/allocations/${allocation.id}/reverse`, { reversedOn });
          await onDone();
          onClose();
        }}
      >
        <Stack>
          <ApiErrorAlert error={form.error} fields={form.fields} shown={['reversedOn']} />
          <Text size="sm">
            {t('reverse.explain', { amount: formatMoney(allocation.amountMinor, currency, i18n.language), date: formatDate(allocation.allocatedOn, i18n.language) })}
          </Text>
          <TextInput type="date" label={t('reverse.date')} description={t('reverse.dateHelp')} required value={reversedOn} min={allocation.allocatedOn} onChange={(e) => setReversedOn(e.currentTarget.value)} error={form.fields.reversedOn} data-testid="reverse-date" />
          <FormActions onCancel={onClose} busy={form.busy} disabled={!reversedOn} submitLabel={t('reverse.submit')} submitTestId="confirm-reverse" />
        </Stack>
      </ApiForm>
    </Modal>
  );
}

export type CloseAction = 'cancelled' | 'written_off';

/**
 * Cancels or writes off an invoice after saying what happens: its open rest is closed by an adjustment dated today,
 * the invoice itself keeps its amount and stays in the ledger, and it leaves the balances, the aging and the dunning.
 */
export function CloseInvoiceModal({ invoice, action, onClose, onDone, openMinor = invoice.openMinor }: {
  invoice: LedgerDocument; action: CloseAction | null; onClose: () => void; onDone: () => Promise<void>;
  /** What the whole invoice still has open (all of its instalments), when it has several. */
  openMinor?: number;
}) {
  const { t, i18n } = useTranslation('ledger');
  const form = useApiForm();
  if (!action) return null;
  const key = action === 'cancelled' ? 'cancel' : 'writeOff';
  return (
    <Modal opened onClose={onClose} title={t(`closeInvoice.${key}Title`, { document: documentLabel(invoice, t) })}>
      <ApiForm
        form={form}
        testId="close-invoice-form"
        submit={async () => {
          await api('PATCH', `/api/v1/documents/${invoice.id}`, { status: action });
          await onDone();
          onClose();
        }}
      >
        <Stack>
          <ApiErrorAlert error={form.error} fields={form.fields} />
          <Text size="sm">{t(`closeInvoice.${key}Explain`, { amount: formatMoney(openMinor, invoice.currency, i18n.language) })}</Text>
          <Text size="sm" c="dimmed">{t('closeInvoice.history')}</Text>
          <FormActions onCancel={onClose} busy={form.busy} submitLabel={t(`closeInvoice.${key}`)} submitTestId="confirm-close-invoice" />
        </Stack>
      </ApiForm>
    </Modal>
  );
}
