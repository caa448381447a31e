import { Anchor, Divider, Group, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_NAMES } from '../../../common/languages';
import { formatMoney } from '../../components/format';
import { customerLabel, useChildAccounts, useCustomer, type Customer } from './customer';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={120} style={{ flexShrink: 0 }}>{label}</Text>
      <Text size="sm" component="div" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{children}</Text>
    </Group>
  );
}

const customerLink = (c: Customer) => <Anchor component={Link} to={`/customers/${c.id}`} size="sm">{customerLabel(c)}</Anchor>;

/** The customer's account facts, its place in a group (parent and child accounts) and its custom fields. */
export function CustomerDetails({ customer: c, baseCurrency }: { customer: Customer; baseCurrency: string }) {
  const { t, i18n } = useTranslation('ledger');
  const parent = useCustomer(c.parentCustomerId);
  const children = useChildAccounts(c.id).data?.items ?? [];
  const address = [c.addressLine1, c.addressLine2, [c.postalCode, c.city].filter(Boolean).join(' '), c.country].filter(Boolean).join(', ');
  const terms = c.paymentTermsDays == null ? t('customer.companyTerms') : t(c.paymentTermsEndOfMonth ? 'customer.termsEndOfMonth' : 'customer.terms', { days: c.paymentTermsDays });
  const items: [string, ReactNode][] = [
    [t('customers.debtorType'), t(`debtorType.${c.debtorType}`)],
    [t('customers.address'), address],
    [t('customers.language'), c.language ? LANGUAGE_NAMES[c.language as keyof typeof LANGUAGE_NAMES] ?? c.language : ''],
    [t('customers.paymentTerms'), terms],
    [t('customers.creditLimitShort'), c.creditLimitMinor != null ? formatMoney(c.creditLimitMinor, c.currency ?? baseCurrency, i18n.language) : ''],
    [t('customers.legalId'), c.legalId ?? ''],
    [t('customers.vatId'), c.vatId ?? ''],
    [t('customers.tags'), c.tags.join(', ')],
    [t('parent.label'), parent.data && <span data-testid="customer-parent">{customerLink(parent.data)}</span>],
    [t('parent.children'), children.length > 0 && (
      <Stack gap={0} data-testid="customer-children">{children.map((child) => <span key={child.id}>{customerLink(child)}</span>)}</Stack>
    )],
  ];
  const custom = Object.entries(c.customFields ?? {});
  return (
    <Stack gap={4}>
      {items.filter(([, v]) => v).map(([k, v]) => <Row key={k} label={k}>{v}</Row>)}
      {custom.length > 0 && (
        <>
          <Divider my={6} label={t('customFields.title')} labelPosition="left" />
          <Stack gap={4} data-testid="customer-custom-fields">
            {custom.map(([k, v]) => <Row key={k} label={k}>{v === null ? '—' : typeof v === 'boolean' ? t(`app:common.${v ? 'yes' : 'no'}`) : String(v)}</Row>)}
          </Stack>
        </>
      )}
    </Stack>
  );
}
