import { ActionIcon, Button, Group, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { decimalSeparator, formatDate, formatMoney, toMinor } from '../../components/format';
import type { LedgerDocument } from './document';
import { DocumentStatus } from './DocumentTable';

/** The instalments of an invoice in the document drawer: each has its own due date, open amount and status. */
export function InstalmentsTable({ lines, currentId, today, onSelect }: { lines: LedgerDocument[]; currentId: string; today: string; onSelect: (id: string) => void }) {
  const { t, i18n } = useTranslation('ledger');
  const money = (minor: number, currency: string) => formatMoney(minor, currency, i18n.language);
  return (
    <Stack gap="xs" data-testid="instalments">
      <Text fw={600} mt="sm">{t('instalments.title')}</Text>
      <Text size="xs" c="dimmed">{t('instalments.wholeInvoice')}</Text>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('documents.dueOn')}</Table.Th>
            <Table.Th ta="right">{t('documents.amount')}</Table.Th>
            <Table.Th ta="right">{t('documents.open')}</Table.Th>
            <Table.Th>{t('documents.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((l) => (
            <Table.Tr
              key={l.id}
              data-testid="instalment-row"
              fw={l.id === currentId ? 600 : undefined}
              onClick={() => l.id !== currentId && onSelect(l.id)}
              onKeyDown={(e) => e.key === 'Enter' && onSelect(l.id)}
              tabIndex={0}
              style={{ cursor: l.id === currentId ? undefined : 'pointer' }}
            >
              <Table.Td>{l.instalmentNo}/{l.instalmentCount}</Table.Td>
              <Table.Td>{formatDate(l.dueOn, i18n.language)}</Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>{money(l.amountMinor, l.currency)}</Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>{money(l.openMinor, l.currency)}</Table.Td>
              <Table.Td><DocumentStatus doc={l} today={today} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

export type ScheduleRow = { dueOn: string; amount: number | '' };

/** Due dates and amounts of an invoice payable in instalments, as typed in the invoice form; the total must match. */
export function ScheduleEditor({ rows, onChange, currency, amount, errors }: {
  rows: ScheduleRow[]; onChange: (rows: ScheduleRow[]) => void; currency: string; amount: number | ''; errors: Record<string, string | undefined>;
}) {
  const { t, i18n } = useTranslation('ledger');
  const total = rows.reduce((sum, r) => sum + (r.amount === '' ? 0 : toMinor(r.amount, currency)), 0);
  const expected = amount === '' ? 0 : toMinor(amount, currency);
  const set = (i: number, patch: Partial<ScheduleRow>) => onChange(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs" data-testid="schedule-editor">
      {rows.map((r, i) => (
        <Group key={i} align="flex-start" wrap="nowrap">
          <Text size="sm" w={28} pt={8}>{i + 1}.</Text>
          <TextInput type="date" aria-label={t('instalments.dueOn', { no: i + 1 })} value={r.dueOn} onChange={(e) => set(i, { dueOn: e.currentTarget.value })} error={errors[`instalments.${i}.dueOn`]} style={{ flex: 1 }} />
          <NumberInput aria-label={t('instalments.amount', { no: i + 1 })} min={0} decimalSeparator={decimalSeparator(i18n.language)} value={r.amount} onChange={(x) => set(i, { amount: x === '' ? '' : Number(x) })} style={{ flex: 1 }} />
          <ActionIcon variant="subtle" color="gray" mt={4} aria-label={t('instalments.remove', { no: i + 1 })} disabled={rows.length <= 2} onClick={() => onChange(rows.filter((_, k) => k !== i))}>×</ActionIcon>
        </Group>
      ))}
      <Group justify="space-between">
        <Button size="xs" variant="light" onClick={() => onChange([...rows, { dueOn: '', amount: '' }])} disabled={rows.length >= 120}>{t('instalments.add')}</Button>
        <Text size="sm" c={total === expected ? 'dimmed' : 'red'} data-testid="schedule-total">
          {t('instalments.total', { total: formatMoney(total, currency, i18n.language), amount: formatMoney(expected, currency, i18n.language) })}
        </Text>
      </Group>
      {errors.instalments && <Text size="sm" c="red">{errors.instalments}</Text>}
    </Stack>
  );
}
