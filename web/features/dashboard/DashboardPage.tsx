import { Alert, Button, Card, Grid, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AgingCharts, AgingItemsDrawer, type BucketChoice } from '../reports/AgingChart';
import { overdueMinor } from '../reports/agingBuckets';
import { DsoExplanationDrawer } from '../reports/DsoExplanation';
import { ReportFilters, type Filters } from '../reports/ReportFilters';
import { formatDay, formatMoney, formatNumber } from '../reports/reportFormat';
import { useFilterOptions, useReport, type Dashboard, type DsoTrend, type Forecast, type TopLate } from '../reports/reportsApi';
import { ExportButton, KpiCard, QueryState, ReportCard, type QueryLike } from '../reports/ReportWidgets';
import { DsoTrendChart, ForecastChart } from '../reports/TrendCharts';

/**
 * Where the cash is, at a glance: charts first (aging per currency, DSO trend, 13-week forecast), the key figures,
 * the customers most late. Every figure opens to how it was computed; every report exports to Excel.
 */
export function DashboardPage() {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const options = useFilterOptions().data;
  const [filters, setFilters] = useState<Filters>({ collectorId: null, segment: null, currency: null });
  const [bucket, setBucket] = useState<BucketChoice | null>(null);
  const [explainOpen, setExplainOpen] = useState(false);
  const scope = { collectorId: filters.collectorId, segment: filters.segment };
  const currency = filters.currency ?? options?.baseCurrency ?? null;
  const inCurrency = { ...scope, currency };
  // Aging, DSO and the late customers come in one request (docs/performance.md); trend and forecast alongside.
  const board = useReport<Dashboard>('dashboard', { ...inCurrency, limit: 20 }, !!currency);
  const part = <T,>(data: T | undefined): QueryLike<T> => ({ data, isError: board.isError, error: board.error });
  const aging = part(board.data?.aging);
  const dso = part(board.data?.dso);
  const late = part(board.data?.topLateCustomers);
  const currencies = [...new Set([...(options ? [options.baseCurrency] : []), ...(aging.data?.rows.map((r) => r.currency) ?? [])])].sort();
  const trend = useReport<DsoTrend>('dso-trend', { ...inCurrency, months: 12 }, !!currency);
  const forecast = useReport<Forecast>('forecast', inCurrency, !!currency);
  const days = (v: number | null | undefined) => (v === null || v === undefined ? t('kpi.notAvailable') : t('kpi.days', { value: formatNumber(v, lang) }));

  return (
    <Stack gap="md" data-testid="dashboard">
      <Group justify="space-between" align="flex-end">
        <Stack gap={0}>
          <Title order={2}>{t('dashboard.title')}</Title>
          {aging.data && <Text c="dimmed" size="sm">{t('dashboard.asOf', { date: formatDay(aging.data.asOf, lang) })}</Text>}
        </Stack>
        <ReportFilters value={{ ...filters, currency }} onChange={setFilters} currencies={currencies} />
      </Group>
      {aging.data && aging.data.rows.length === 0 && <Alert color="blue">{t('dashboard.noData')}</Alert>}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <ReportCard title={t('charts.aging')} hint={t('charts.agingHint')} actions={<ExportButton name="aging" params={scope} />}>
            <QueryState query={aging}>{(data) => <AgingCharts aging={data} onSelect={setBucket} />}</QueryState>
          </ReportCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <ReportCard title={t('charts.dsoTrend')} hint={currency ? `${currency} · ${t('methods.countback')} · ${t('charts.inDays')}` : undefined} actions={<ExportButton name="dso-trend" params={{ ...inCurrency, months: 12 }} />}>
            <QueryState query={trend}>{(data) => <DsoTrendChart trend={data} />}</QueryState>
          </ReportCard>
        </Grid.Col>
      </Grid>

      <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md" data-testid="kpis">
        <KpiCard
          label={t('kpi.dso')}
          value={days(dso.data?.dso)}
          detail={dso.data ? `${t(`methods.${dso.data.method}`)} · ${t('common.labelValue', { label: t('filters.months'), value: dso.data.months })} · ${dso.data.currency}` : undefined}
          testId="kpi-dso"
          action={<Button variant="subtle" size="compact-xs" px={0} onClick={() => setExplainOpen(true)} data-testid="explain-dso">{t('kpi.howComputed')}</Button>}
        />
        <KpiCard label={t('kpi.bestPossibleDso')} value={days(dso.data?.bestPossibleDso)} testId="kpi-best" />
        <KpiCard label={t('kpi.averageDaysDelinquent')} value={days(dso.data?.averageDaysDelinquent)} testId="kpi-add" />
        <KpiCard label={t('kpi.cei')} value={dso.data?.cei == null ? t('kpi.notAvailable') : t('kpi.percent', { value: formatNumber(dso.data.cei, lang, 1) })} testId="kpi-cei" />
        <Card withBorder padding="md" radius="md" data-testid="kpi-overdue">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('kpi.overdue')}</Text>
          {(aging.data?.rows ?? []).map((r) => (
            <Text key={r.currency} fz={r.currency === currency ? 20 : 14} fw={700}>{formatMoney(overdueMinor(aging.data!.buckets, r.amountsMinor), r.currency, lang)}</Text>
          ))}
        </Card>
      </SimpleGrid>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <ReportCard title={t('charts.forecast')} hint={t('charts.forecastHint')} actions={<ExportButton name="forecast" params={inCurrency} />}>
            <QueryState query={forecast}>{(data) => (currency ? <ForecastChart forecast={data} currency={currency} /> : null)}</QueryState>
          </ReportCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <ReportCard title={t('topLate.title')} hint={currency ?? undefined} actions={<ExportButton name="top-late-customers" params={{ ...inCurrency, limit: 20 }} />} testId="top-late">
            <QueryState query={late}>{(data) => <TopLateTable data={data} />}</QueryState>
          </ReportCard>
        </Grid.Col>
      </Grid>

      <AgingItemsDrawer choice={bucket} asOf={aging.data?.asOf} params={scope} onClose={() => setBucket(null)} />
      <DsoExplanationDrawer dso={dso.data} opened={explainOpen} onClose={() => setExplainOpen(false)} />
    </Stack>
  );
}

export function TopLateTable({ data }: { data: TopLate }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  if (data.items.length === 0) return <Text c="dimmed" size="sm">{t('topLate.none', { currency: data.currency })}</Text>;
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table striped highlightOnHover verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('fields.customer')}</Table.Th>
            <Table.Th ta="right">{t('fields.overdue')}</Table.Th>
            <Table.Th ta="right">{t('fields.invoices')}</Table.Th>
            <Table.Th ta="right">{t('fields.daysPastDue')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.items.map((c) => (
            <Table.Tr key={c.customerId}>
              <Table.Td>{c.customerName}</Table.Td>
              <Table.Td ta="right" fw={600}>{formatMoney(c.overdueMinor, data.currency, lang)}</Table.Td>
              <Table.Td ta="right">{c.invoiceCount}</Table.Td>
              <Table.Td ta="right" title={formatDay(c.oldestDueOn, lang)}>{c.maxDaysPastDue}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Sections whose issues are still open show what they will hold, translated, rather than an empty page. */
export function ComingSoonPage({ titleKey }: { titleKey: string }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t(titleKey)}</Title>
      <Card withBorder><Text c="dimmed">{t('common.comingSoon')}</Text></Card>
    </Stack>
  );
}
