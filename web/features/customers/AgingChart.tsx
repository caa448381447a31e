import { BarChart } from '@mantine/charts';
import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney, fromMinor, toMinor } from '../../components/format';
import { AGING_BUCKETS, type AgingRow } from './aging';

/** One small bar chart per currency: not yet due in blue, overdue buckets in red. */
export function AgingChart({ rows }: { rows: AgingRow[] }) {
  const { t, i18n } = useTranslation('ledger');
  if (!rows.length) return <Text c="dimmed" size="sm">{t('customer.noOpenInvoices')}</Text>;
  return (
    <Stack gap="md" data-testid="aging-chart">
      {rows.map((row) => {
        const data = AGING_BUCKETS.map((b) => {
          const major = fromMinor(row.amountsMinor[b], row.currency);
          return { bucket: t(`aging.${b}`), notDue: b === 'notDue' ? major : 0, overdue: b === 'notDue' ? 0 : major };
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
              xAxisProps={{ interval: 0 }}
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
