import { BarChart, LineChart } from '@mantine/charts';
import { Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDay, formatMajorMoney, formatMoney, formatMoneyCompact, formatMonth, formatNumber, toMajor } from './reportFormat';
import type { DsoTrend, Forecast } from './reportsApi';

export function DsoTrendChart({ trend }: { trend: DsoTrend }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const data = trend.points.map((p) => ({ month: formatMonth(p.asOf.slice(0, 7), lang), dso: p.dso }));
  return (
    <div data-testid="chart-dso-trend">
      <LineChart
        h={240}
        data={data}
        dataKey="month"
        series={[{ name: 'dso', label: t('kpi.dso'), color: 'indigo.6' }]}
        curveType="monotone"
        connectNulls
        valueFormatter={(v) => t('kpi.days', { value: formatNumber(v, lang) })}
        yAxisProps={{ width: 40, tickFormatter: (v: number) => formatNumber(v, lang, 0) }}
        tickLine="none"
        gridAxis="y"
      />
    </div>
  );
}

/** Expected cash-in per week in one currency; what falls after week 13 and what is excluded are stated below. */
export function ForecastChart({ forecast, currency }: { forecast: Forecast; currency: string }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const c = forecast.currencies.find((x) => x.currency === currency);
  if (!c) return <Text c="dimmed" size="sm">{t('dashboard.noData')}</Text>;
  const data = c.weeks.map((w) => ({ week: formatDay(w.weekStartOn, lang, 'short'), expected: toMajor(w.amountMinor, currency) }));
  return (
    <Stack gap="xs" data-testid="chart-forecast">
      <BarChart
        h={240}
        data={data}
        dataKey="week"
        series={[{ name: 'expected', label: t('fields.expected'), color: 'teal.6' }]}
        valueFormatter={(v) => formatMajorMoney(v, currency, lang)}
        yAxisProps={{ width: 80, tickFormatter: (v: number) => formatMoneyCompact(v, currency, lang) }}
        xAxisProps={{ interval: 1 }}
        tickLine="none"
        gridAxis="y"
        maxBarWidth={40}
      />
      <Group gap="lg">
        <Text size="sm" fw={500}>{t('common.labelValue', { label: t('forecast.open'), value: formatMoney(c.openMinor, currency, lang) })}</Text>
        <Text size="sm" fw={500}>{t('common.labelValue', { label: t('forecast.later'), value: formatMoney(c.laterMinor, currency, lang) })}</Text>
        {c.excludedMinor !== 0 && <Text size="sm" fw={500}>{t('common.labelValue', { label: t('forecast.excluded'), value: formatMoney(c.excludedMinor, currency, lang) })}</Text>}
      </Group>
      <Text size="xs" c="dimmed">
        {t('forecast.history', { from: formatDay(forecast.delayHistory.fromOn, lang), to: formatDay(forecast.delayHistory.toOn, lang), count: forecast.delayHistory.customersWithHistory })}{' '}
        {t('forecast.notTracked')}
      </Text>
    </Stack>
  );
}
