import { BarChart } from '@mantine/charts';
import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney, fromMinor, toMinor } from '../../components/format';
import { labelOfBucket } from '../reports/agingBuckets';
import type { Aging } from '../reports/reportsApi';

/**
 * One small bar chart per currency of the customer's aging as the server computes it (GET /customers/{id}/aging: the
 * company's buckets, instalments on their own due dates): not yet due in blue, overdue buckets in red.
 */
export function AgingChart({ aging }: { aging: Aging }) {
  const { t, i18n } = useTranslation('ledger');
  const { t: tr } = useTranslation('reports');
  const rows = aging.rows.filter((r) => r.totalMinor !== 0);
  if (!rows.length) return <Text c="dimmed" size="sm">{t('customer.noOpenInvoices')}</Text>;
  const isNotDue = (b: Aging['buckets'][number]) => b.toDays !== null && b.toDays <= 0;
  return (
    <Stack gap="md" data-testid="aging-chart">
      {rows.map((row) => {
        const data = aging.buckets.map((b) => {
          const major = fromMinor(row.amountsMinor[b.key] ?? 0, row.currency);
          return { bucket: labelOfBucket(tr, b.key), notDue: isNotDue(b) ? major : 0, overdue: isNotDue(b) ? 0 : major };
        });
        return (
          <Stack key={row.currency} gap={4}>
            {rows.length > 1 && <Text size="sm" fw={500}>{row.currency}</Text>}
            <BarChart
              h={190}
              data={data}
              dataKey="bucket"
              type="stacked"
              series={[{ name: 'notDue', label: t('aging.notDue'), color: 'blue.5' }, { name: 'overdue', label: t('balances.overdue'), color: 'red.6' }]}
              valueFormatter={(v) => formatMoney(toMinor(v, row.currency), row.currency, i18n.language)}
              yAxisProps={{ width: 64, tickFormatter: (v: number) => new Intl.NumberFormat(i18n.language, { style: 'currency', currency: row.currency, notation: 'compact' }).format(v) }}
              // Bucket names run long in some languages ("Plus de 90 jours"): slanted so that they never overlap.
              xAxisProps={{ interval: 0, angle: -20, textAnchor: 'end', height: 48, tick: { fontSize: 11 } }}
              xAxisLabel={t('aging.axis')}
              tickLine="none"
              gridAxis="x"
              withTooltip
            />
          </Stack>
        );
      })}
    </Stack>
  );
}
