import { BarChart } from '@mantine/charts';
import { Badge, Button, Drawer, Group, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { bucketColors, labelOfBucket } from './agingBuckets';
import { formatDay, formatMajorMoney, formatMoney, formatMoneyCompact, toMajor } from './reportFormat';
import { reportUrl, type Aging, type AgingItems, type ReportParams } from './reportsApi';
import { ExportButton } from './ReportWidgets';

export type BucketChoice = { bucket: string; currency: string };

/**
 * One bar chart per currency (never summed across currencies), over the company's buckets as the API lists them; a
 * bar, or its amount below the chart, opens the invoices behind it.
 */
export function AgingCharts({ aging, onSelect }: { aging: Aging; onSelect: (choice: BucketChoice) => void }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const colors = bucketColors(aging.buckets);
  return (
    <Stack gap="lg" data-testid="chart-aging">
      {aging.rows.map((row) => {
        const data = aging.buckets.map((b) => ({
          key: b.key,
          bucket: labelOfBucket(t, b.key),
          amount: toMajor(row.amountsMinor[b.key] ?? 0, row.currency),
          color: colors[b.key] ?? 'gray.6',
        }));
        return (
          <Stack key={row.currency} gap={6} data-testid={`aging-${row.currency}`}>
            <Group justify="space-between">
              <Text fw={600}>{row.currency}</Text>
              <Text size="sm" c="dimmed">
                {t('common.labelValue', { label: t('fields.total'), value: formatMoney(row.totalMinor, row.currency, lang) })}
                {row.unallocatedMinor !== 0 && ` · ${t('common.labelValue', { label: t('fields.unallocated'), value: formatMoney(row.unallocatedMinor, row.currency, lang) })}`}
              </Text>
            </Group>
            <BarChart
              h={200}
              data={data}
              dataKey="bucket"
              series={[{ name: 'amount', label: row.currency, color: 'blue.6' }]}
              barProps={{
                cursor: 'pointer',
                onClick: (entry: { payload?: { key?: string } }) => {
                  if (entry?.payload?.key) onSelect({ bucket: entry.payload.key, currency: row.currency });
                },
              }}
              valueFormatter={(v) => formatMajorMoney(v, row.currency, lang)}
              yAxisProps={{ width: 80, tickFormatter: (v: number) => formatMoneyCompact(v, row.currency, lang) }}
              tickLine="none"
              gridAxis="y"
              withBarValueLabel={false}
              maxBarWidth={64}
            />
            <Group gap={6}>
              {aging.buckets.map((b) => (
                <UnstyledButton key={b.key} onClick={() => onSelect({ bucket: b.key, currency: row.currency })} data-testid={`bucket-${row.currency}-${b.key}`}>
                  <Badge variant="light" color={colors[b.key]?.split('.')[0] ?? 'gray'} style={{ cursor: 'pointer', textTransform: 'none' }}>
                    {t('common.labelValue', { label: labelOfBucket(t, b.key), value: formatMoney(row.amountsMinor[b.key] ?? 0, row.currency, lang) })}
                  </Badge>
                </UnstyledButton>
              ))}
              {row.unallocatedMinor !== 0 && (
                <UnstyledButton onClick={() => onSelect({ bucket: 'unallocated', currency: row.currency })}>
                  <Badge variant="outline" color="gray" style={{ cursor: 'pointer', textTransform: 'none' }}>
                    {t('common.labelValue', { label: t('buckets.unallocated'), value: formatMoney(row.unallocatedMinor, row.currency, lang) })}
                  </Badge>
                </UnstyledButton>
              )}
            </Group>
          </Stack>
        );
      })}
    </Stack>
  );
}

/** The invoices (or unallocated credits) behind one aging figure, page by page, with their Excel export. */
export function AgingItemsDrawer({ choice, asOf, params, onClose }: { choice: BucketChoice | null; asOf?: string; params: ReportParams; onClose: () => void }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const query = { ...params, asOf, bucket: choice?.bucket, currency: choice?.currency };
  const q = useInfiniteQuery({
    queryKey: ['reports', 'aging/items', query],
    enabled: !!choice,
    initialPageParam: '',
    queryFn: ({ pageParam }) => api<AgingItems>('GET', reportUrl('aging/items', { ...query, limit: 50, cursor: pageParam || undefined })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const isCredit = choice?.bucket === 'unallocated';
  return (
    <Drawer
      opened={!!choice}
      onClose={onClose}
      position="right"
      size="xl"
      title={choice ? t('aging.itemsTitle', { bucket: labelOfBucket(t, choice.bucket), currency: choice.currency, date: formatDay(asOf, lang) }) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack data-testid="aging-items">
        <Group justify="flex-end"><ExportButton name="aging/items" params={query} /></Group>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.number')}</Table.Th>
              <Table.Th>{t('fields.customer')}</Table.Th>
              <Table.Th>{isCredit ? t('fields.issuedOn') : t('fields.dueOn')}</Table.Th>
              {!isCredit && <Table.Th ta="right">{t('fields.daysPastDue')}</Table.Th>}
              <Table.Th ta="right">{t('fields.amount')}</Table.Th>
              <Table.Th ta="right">{t('fields.open')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.documentId}>
                <Table.Td>{r.number ?? '—'}</Table.Td>
                <Table.Td>{r.customerName}</Table.Td>
                <Table.Td>{formatDay(isCredit ? r.issuedOn : r.dueOn, lang)}</Table.Td>
                {!isCredit && <Table.Td ta="right">{r.daysPastDue}</Table.Td>}
                <Table.Td ta="right">{formatMoney(r.amountMinor, r.currency, lang)}</Table.Td>
                <Table.Td ta="right" fw={600}>{formatMoney(r.openMinor, r.currency, lang)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {q.isSuccess && rows.length === 0 && <Text c="dimmed">{t('aging.noItems')}</Text>}
        {q.hasNextPage && <Button variant="light" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>{t('aging.loadMore')}</Button>}
      </Stack>
    </Drawer>
  );
}
