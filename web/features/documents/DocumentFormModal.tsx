import { Alert, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormActions } from '../../components/FormActions';
import { api } from '../../api/client';
import { decimalSeparator, formatMoney, toMinor } from '../../components/format';
import { useApiForm } from '../../components/useApiForm';
import { CURRENCIES } from '../customers/customer';
import type { LedgerDocument } from './document';
import { ScheduleEditor, type ScheduleRow } from './InstalmentsPanel';
import { ApiForm } from '../../components/ApiForm';

const TYPES = ['invoice', 'credit_note', 'payment'] as const;
type Type = (typeof TYPES)[number];

/** Adds an invoice, a credit note or a payment to a customer; a credit may settle one open invoice at once. */
export function DocumentFormModal({ opened, onClose, customerId, defaultCurrency, today, openInvoices, onSaved }: {
  opened: boolean; onClose: () => void; customerId: string; defaultCurrency: string; today: string; openInvoices: LedgerDocument[]; onSaved: () => void | Promise<void>;
}) {
  const { t, i18n } = useTranslation('ledger');
  const form = useApiForm();
  const [type, setType] = useState<Type>('invoice');
  const [number, setNumber] = useState('');
  const [issuedOn, setIssuedOn] = useState(today);
  const [dueOn, setDueOn] = useState('');
  const [currency, setCurrency] = useState(defaultCurrency);
  const [amount, setAmount] = useState<number | ''>('');
  const [reference, setReference] = useState('');
  const [appliesTo, setAppliesTo] = useState<string | null>(null);
  const [schedule, setSchedule] = useState<ScheduleRow[] | null>(null);
  useEffect(() => {
    if (!opened) return;
    setType('invoice'); setNumber(''); setIssuedOn(today); setDueOn(''); setCurrency(defaultCurrency); setAmount(''); setReference(''); setAppliesTo(null); setSchedule(null);
  }, [opened, today, defaultCurrency]);
  const withSchedule = type === 'invoice' && schedule !== null;
  const invoices = openInvoices.filter((i) => i.type === 'invoice' && i.openMinor > 0 && i.currency === currency);
  const err = form.fields;

  return (
    <Modal opened={opened} onClose={onClose} title={t('documents.add')} size="lg">
      <ApiForm
        form={form}
        testId="document-form"
        submit={async () => {
          await api('POST', '/api/v1/documents', {
            customerId, type, number: number.trim() || null, issuedOn, dueOn: type === 'invoice' && dueOn && !withSchedule ? dueOn : null, currency,
            amountMinor: amount === '' ? 0 : toMinor(amount, currency), reference: reference.trim() || null,
            ...(type !== 'invoice' && appliesTo ? { appliesToDocumentId: appliesTo } : {}),
            ...(withSchedule ? { instalments: schedule.map((r) => ({ dueOn: r.dueOn, amountMinor: r.amount === '' ? 0 : toMinor(r.amount, currency) })) } : {}),
          });
          await onSaved();
          onClose();
        }}
      >
        <Stack>
          {form.error && <Alert color="red" role="alert">{form.error}</Alert>}
          <SegmentedControl value={type} onChange={(v) => setType(v as Type)} data={TYPES.map((x) => ({ value: x, label: t(`documentType.${x}`) }))} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('documents.number')} required={type !== 'payment'} value={number} onChange={(e) => setNumber(e.currentTarget.value)} error={err.number} />
            <TextInput label={t('documents.reference')} value={reference} onChange={(e) => setReference(e.currentTarget.value)} error={err.reference} />
            <TextInput type="date" label={t('documents.issuedOn')} required value={issuedOn} onChange={(e) => setIssuedOn(e.currentTarget.value)} error={err.issuedOn} />
            {type === 'invoice' && !withSchedule && (
              <TextInput type="date" label={t('documents.dueOn')} description={t('documents.dueOnHelp')} value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} error={err.dueOn} />
            )}
            <Select label={t('documents.currency')} required searchable allowDeselect={false} data={CURRENCIES} value={currency} onChange={(x) => x && setCurrency(x)} error={err.currency} />
            <NumberInput label={t('documents.amount')} required min={0} decimalSeparator={decimalSeparator(i18n.language)} value={amount} onChange={(x) => setAmount(x === '' ? '' : Number(x))} error={err.amountMinor} />
          </SimpleGrid>
          {type === 'invoice' && (
            <Switch
              label={t('instalments.switch')}
              checked={withSchedule}
              data-testid="schedule-switch"
              onChange={(e) => setSchedule(e.currentTarget.checked ? [{ dueOn: dueOn || '', amount: '' }, { dueOn: '', amount: '' }] : null)}
            />
          )}
          {withSchedule && <ScheduleEditor rows={schedule} onChange={setSchedule} currency={currency} amount={amount} errors={err} />}
          {type !== 'invoice' && (
            <Select
              label={t('documents.appliesTo')}
              description={t('documents.appliesToHelp')}
              clearable
              searchable
              data={invoices.map((i) => ({ value: i.id, label: `${i.number ?? '—'} · ${formatMoney(i.openMinor, i.currency, i18n.language)}` }))}
              value={appliesTo}
              onChange={setAppliesTo}
              error={err.appliesToDocumentId}
            />
          )}
          <FormActions onCancel={onClose} busy={form.busy} />
        </Stack>
      </ApiForm>
    </Modal>
  );
}
