import { Autocomplete, Checkbox, Divider, Modal, NumberInput, Select, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert, fieldError } from '../../components/ApiErrorAlert';
import { FormActions } from '../../components/FormActions';
import { LANGUAGES, LANGUAGE_NAMES } from '../../../common/languages';
import { api } from '../../api/client';
import { decimalSeparator, fromMinor, toMinor } from '../../components/format';
import { useCompany } from '../../components/useCompanyToday';
import { useApiForm } from '../../components/useApiForm';
import { CURRENCIES, CUSTOMER_STATUSES, DEBTOR_TYPES, useCollectors, useSegments, type Customer } from './customer';
import { customFieldProblems, CustomFieldsEditor, fromCustomFieldRows, toCustomFieldRows, type CustomFieldRow } from './CustomFieldsEditor';
import { ParentCustomerSelect } from './ParentCustomerSelect';

const TEXT_FIELDS = ['legalId', 'vatId', 'addressLine1', 'addressLine2', 'postalCode', 'city', 'country'] as const;
type Form = {
  code: string; name: string; debtorType: string; status: string; language: string | null; currency: string | null;
  paymentTermsDays: number | ''; paymentTermsEndOfMonth: boolean; creditLimit: number | ''; collectorUserId: string | null;
  segment: string; tags: string[]; parentCustomerId: string | null; customFields: CustomFieldRow[];
} & Record<(typeof TEXT_FIELDS)[number], string>;

function toForm(c: Customer | undefined): Form {
  return {
    code: c?.code ?? '', name: c?.name ?? '', debtorType: c?.debtorType ?? 'business', status: c?.status ?? 'active',
    language: c?.language ?? null, currency: c?.currency ?? null, paymentTermsDays: c?.paymentTermsDays ?? '',
    paymentTermsEndOfMonth: c?.paymentTermsEndOfMonth ?? false,
    creditLimit: c?.creditLimitMinor != null ? fromMinor(c.creditLimitMinor, c.currency ?? 'EUR') : '',
    collectorUserId: c?.collectorUserId ?? null, segment: c?.segment ?? '', tags: c?.tags ?? [],
    parentCustomerId: c?.parentCustomerId ?? null, customFields: toCustomFieldRows(c?.customFields),
    ...Object.fromEntries(TEXT_FIELDS.map((k) => [k, c?.[k] ?? ''])) as Record<(typeof TEXT_FIELDS)[number], string>,
  };
}

/** Fields whose server messages appear under an input; any other field's message is listed in the alert. */
const SHOWN_FIELDS = ['code', 'name', 'debtorType', 'status', ...TEXT_FIELDS, 'language', 'currency', 'paymentTermsDays', 'paymentTermsEndOfMonth', 'creditLimitMinor', 'collectorUserId', 'segment', 'tags', 'parentCustomerId', 'customFields'];

/**
 * Create (no `customer`) or edit a customer; the server's per-field messages appear under each field. `childIds`
 * (the customer's own child accounts) are not offered as its parent group.
 */
export function CustomerFormModal({ opened, onClose, customer, childIds, onSaved }: {
  opened: boolean; onClose: () => void; customer?: Customer; childIds?: string[]; onSaved?: (c: Customer) => void;
}) {
  const { t, i18n } = useTranslation('ledger');
  const qc = useQueryClient();
  const form = useApiForm();
  const collectors = useCollectors();
  const segments = useSegments();
  const baseCurrency = useCompany().data?.baseCurrency ?? 'EUR';
  const [v, setV] = useState<Form>(() => toForm(customer));
  useEffect(() => {
    if (opened) setV(toForm(customer));
  }, [opened, customer]);
  const set = (patch: Partial<Form>) => setV((prev) => ({ ...prev, ...patch }));
  const limitCurrency = v.currency ?? baseCurrency;
  const fieldProblems = customFieldProblems(v.customFields);

  function submit() {
    if (Object.keys(fieldProblems).length) return;
    void form.run(async () => {
      const body = {
        code: v.code.trim(), name: v.name.trim(), debtorType: v.debtorType, status: v.status, language: v.language, currency: v.currency,
        paymentTermsDays: v.paymentTermsDays === '' ? null : v.paymentTermsDays, paymentTermsEndOfMonth: v.paymentTermsEndOfMonth,
        creditLimitMinor: v.creditLimit === '' ? null : toMinor(v.creditLimit, limitCurrency), collectorUserId: v.collectorUserId,
        segment: v.segment.trim() || null, tags: v.tags, parentCustomerId: v.parentCustomerId, customFields: fromCustomFieldRows(v.customFields),
        ...Object.fromEntries(TEXT_FIELDS.map((k) => [k, v[k].trim() || null])),
      };
      const saved = customer ? await api<Customer>('PATCH', `/api/v1/customers/${customer.id}`, body) : await api<Customer>('POST', '/api/v1/customers', body);
      qc.setQueryData(['customer', saved.id], saved);
      await qc.invalidateQueries({ queryKey: ['customers'] });
      onClose();
      onSaved?.(saved);
    });
  }

  const err = form.fields;
  return (
    <Modal opened={opened} onClose={onClose} size="xl" title={customer ? t('customers.edit') : t('customers.new')}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); submit(); }} data-testid="customer-form">
        <Stack>
          <ApiErrorAlert error={form.error} fields={err} shown={SHOWN_FIELDS} />
          <Section label={t('customerForm.account')}>
            <TextInput label={t('customers.code')} name="code" required value={v.code} onChange={(e) => set({ code: e.currentTarget.value })} error={err.code} />
            <TextInput label={t('customers.name')} name="name" required value={v.name} onChange={(e) => set({ name: e.currentTarget.value })} error={err.name} />
            <Select label={t('customers.debtorType')} allowDeselect={false} data={DEBTOR_TYPES.map((d) => ({ value: d, label: t(`debtorType.${d}`) }))} value={v.debtorType} onChange={(x) => x && set({ debtorType: x })} error={err.debtorType} />
            <Select label={t('customers.status')} allowDeselect={false} data={CUSTOMER_STATUSES.map((s) => ({ value: s, label: t(`customerStatus.${s}`) }))} value={v.status} onChange={(x) => x && set({ status: x })} error={err.status} />
            <ParentCustomerSelect value={v.parentCustomerId} onChange={(parentCustomerId) => set({ parentCustomerId })} selfId={customer?.id} excludeIds={childIds} error={err.parentCustomerId} />
            <Autocomplete label={t('customers.segment')} data={segments} value={v.segment} onChange={(segment) => set({ segment })} error={err.segment} />
            <Select label={t('customers.collector')} clearable searchable data={collectors.options} value={v.collectorUserId} onChange={(x) => set({ collectorUserId: x })} error={err.collectorUserId} />
            <TagsInput label={t('customers.tags')} value={v.tags} onChange={(tags) => set({ tags })} error={fieldError(err, 'tags')} data-testid="tags-input" />
          </Section>
          <Section label={t('customerForm.identity')}>
            {TEXT_FIELDS.map((k) => (
              <TextInput key={k} label={t(`customers.${k}`)} name={k} value={v[k]} maxLength={k === 'country' ? 2 : undefined} onChange={(e) => set({ [k]: e.currentTarget.value })} error={err[k]} />
            ))}
            <Select label={t('customers.language')} clearable data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))} value={v.language} onChange={(x) => set({ language: x })} error={err.language} />
          </Section>
          <Section label={t('customerForm.terms')}>
            <Select label={t('customers.currency')} clearable searchable data={CURRENCIES} value={v.currency} onChange={(x) => set({ currency: x })} error={err.currency} />
            <NumberInput
              label={t('customers.creditLimit', { currency: limitCurrency })}
              min={0}
              decimalSeparator={decimalSeparator(i18n.language)}
              value={v.creditLimit}
              onChange={(x) => set({ creditLimit: x === '' ? '' : Number(x) })}
              error={err.creditLimitMinor}
            />
            <NumberInput label={t('customers.paymentTermsDays')} min={0} max={365} allowDecimal={false} value={v.paymentTermsDays} onChange={(x) => set({ paymentTermsDays: x === '' ? '' : Number(x) })} error={err.paymentTermsDays} />
            <Stack justify="flex-end" pb={8}>
              <Checkbox label={t('customers.paymentTermsEndOfMonth')} checked={v.paymentTermsEndOfMonth} onChange={(e) => set({ paymentTermsEndOfMonth: e.currentTarget.checked })} error={err.paymentTermsEndOfMonth} />
            </Stack>
          </Section>
          <CustomFieldsEditor rows={v.customFields} onChange={(customFields) => set({ customFields })} problems={fieldProblems} serverErrors={err} />
          <FormActions onCancel={onClose} busy={form.busy} submitTestId="save-customer" />
        </Stack>
      </form>
    </Modal>
  );
}

/** A titled group of fields, two columns from small screens up. */
function Section({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Divider label={label} labelPosition="left" />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>{children}</SimpleGrid>
    </>
  );
}
