import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney } from '../../components/format';
import { SortableTh } from '../../components/SortableTh';
import { daysBetween } from '../customers/aging';
import { DOCUMENT_STATUS_COLORS, isOverdue, type LedgerDocument } from './document';

export function DocumentStatus({ doc, today }: { doc: LedgerDocument; today: string }) {
  const { t } = useTranslation('ledger');
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={DOCUMENT_STATUS_COLORS[doc.status] ?? 'gray'} variant="light" style={{ minWidth: 'max-content' }}>{t(`documentStatus.${doc.status}`)}</Badge>
      {isOverdue(doc, today) && <Badge color="red" variant="filled" style={{ minWidth: 'max-content' }}>{t('documents.daysLate', { days: daysBetween(doc.dueOn!, today) })}</Badge>}
    </Group>
  );
}

type Sorting = { sort: string; order: 'asc' | 'desc'; onSort: (field: string, order: 'asc' | 'desc') => void };

/** Invoices, credit notes, payments and adjustments with signed amounts, open rest and status badges. */
export function DocumentTable({ rows, today, showCustomer = false, sorting, onRowClick, actions, testId }: {
  rows: LedgerDocument[]; today: string; showCustomer?: boolean; sorting?: Sorting; onRowClick?: (d: LedgerDocument) => void;
  actions?: (d: LedgerDocument) => ReactNode; testId?: string;
}) {
  const { t, i18n } = useTranslation('ledger');
  const th = (field: string, label: string, align: 'left' | 'right' = 'left') =>
    sorting ? <SortableTh field={field} {...sorting} align={align}>{label}</SortableTh> : <Table.Th ta={align} style={{ whiteSpace: 'nowrap' }}>{label}</Table.Th>;
  const money = (minor: number, currency: string) => formatMoney(minor, currency, i18n.language);
  return (
    <Table.ScrollContainer minWidth={showCustomer ? 1000 : 820}>
      <Table striped highlightOnHover={!!onRowClick} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('documents.type')}</Table.Th>
            {th('number', t('documents.number'))}
            {showCustomer && th('customerName', t('documents.customer'))}
            {th('issuedOn', t('documents.issuedOn'))}
            {th('dueOn', t('documents.dueOn'))}
            {th('amountMinor', t('documents.amount'), 'right')}
            {th('openMinor', t('documents.open'), 'right')}
            <Table.Th>{t('documents.status')}</Table.Th>
            {actions && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((d) => (
            <Table.Tr
              key={d.id}
              data-testid="document-row"
              {...(onRowClick && {
                // Reachable with Tab and opened with Enter: collectors work through lists from the keyboard.
                onClick: () => onRowClick(d), onKeyDown: (e: React.KeyboardEvent) => e.key === 'Enter' && onRowClick(d), tabIndex: 0, style: { cursor: 'pointer' },
              })}
            >
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`documentType.${d.type}`)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {d.number ?? <Text span c="dimmed">—</Text>}
                {d.instalmentCount && (
                  <Tooltip label={t('instalments.badgeHelp', { no: d.instalmentNo, count: d.instalmentCount })}>
                    <Badge ml={6} size="sm" variant="outline" color="gray" data-testid="instalment-badge">{d.instalmentNo}/{d.instalmentCount}</Badge>
                  </Tooltip>
                )}
                {d.reference && <Text size="xs" c="dimmed">{d.reference}</Text>}
              </Table.Td>
              {showCustomer && (
                <Table.Td>
                  <Text size="sm" fw={500}>{d.customerName}</Text>
                  <Text size="xs" c="dimmed">{d.customerCode}</Text>
                </Table.Td>
              )}
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(d.issuedOn, i18n.language)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {d.isDueOnDerived ? <Tooltip label={t('documents.dueOnDerived')}><Text span size="sm" td="underline dotted">{formatDate(d.dueOn, i18n.language)}</Text></Tooltip> : formatDate(d.dueOn, i18n.language)}
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{money(d.amountMinor, d.currency)}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} c={d.openMinor === 0 ? 'dimmed' : undefined}>{money(d.openMinor, d.currency)}</Table.Td>
              <Table.Td><DocumentStatus doc={d} today={today} /></Table.Td>
              {actions && <Table.Td onClick={(e) => e.stopPropagation()} style={{ whiteSpace: 'nowrap' }}>{actions(d)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
