import { Badge, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TopLateTable } from '../dashboard/DashboardPage';
import { AgingCharts, AgingItemsDrawer, type BucketChoice } from './AgingChart';
import { DsoExplanation } from './DsoExplanation';
import { ReportFilters, type Filters } from './ReportFilters';
import { formatDay, formatMoney, formatNumber } from './reportFormat';
import { useFilterOptions, useReport, type Aging, type Collectors, type Dso, type DsoTrend, type Forecast, type PayerProfiles, type TopLate } from './reportsApi';
import { ExportButton, KpiCard, QueryState, ReportCard } from './ReportWidgets';
import { DsoTrendChart, ForecastChart } from './TrendCharts';

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

/** Aging at any date, DSO with its method and period, forecast, collectors and payer profiles, each with its export. */
export function ReportsPage() {
  const { t } = useTranslation('reports');
  const options = useFilterOptions().data;
  const [tab, setTab] = useState<string | null>('aging');
  const [filters, setFilters] = useState<Filters>({ collectorId: null, segment: null, currency: null });
  const [asOfInput, setAsOfInput] = useState('');
  const asOf = isDate(asOfInput) ? asOfInput : undefined;
  const scope = { collectorId: filters.collectorId, segment: filters.segment };
  const aging = useReport<Aging>('aging', { ...scope, asOf });
  const currencies = [...new Set([...(options ? [options.baseCurrency] : []), ...(aging.data?.rows.map((r) => r.currency) ?? [])])].sort();
  const currency = filters.currency ?? options?.baseCurrency ?? null;
  return (
    <Stack gap="md" data-testid="reports-page">
      <Title order={2}>{t('page.title')}</Title>
      <Group align="flex-end" gap="sm">
        <TextInput type="date" label={t('filters.asOf')} value={asOfInput || options?.today || ''} onChange={(e) => setAsOfInput(e.currentTarget.value)} size="xs" w={160} data-testid="filter-as-of" />
        <ReportFilters value={{ ...filters, currency }} onChange={setFilters} currencies={currencies} />
      </Group>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          {(['aging', 'dso', 'forecast', 'collectors', 'payers'] as const).map((k) => <Tabs.Tab key={k} value={k}>{t(`page.${k}`)}</Tabs.Tab>)}
        </Tabs.List>
        <Tabs.Panel value="aging" pt="md"><AgingPanel asOf={asOf} scope={scope} currencies={currencies} currency={currency} /></Tabs.Panel>
        <Tabs.Panel value="dso" pt="md">{currency && <DsoPanel asOf={asOf} scope={scope} currency={currency} />}</Tabs.Panel>
        <Tabs.Panel value="forecast" pt="md">{currency && <ForecastPanel scope={scope} currency={currency} />}</Tabs.Panel>
        <Tabs.Panel value="collectors" pt="md"><CollectorsPanel asOf={asOf} segment={filters.segment} /></Tabs.Panel>
        <Tabs.Panel value="payers" pt="md"><PayersPanel asOf={asOf} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

type Scope = { collectorId: string | null; segment: string | null };

function AgingPanel({ asOf, scope, currencies, currency }: { asOf?: string; scope: Scope; currencies: string[]; currency: string | null }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const [convertTo, setConvertTo] = useState<string | null>(null);
  const [bucket, setBucket] = useState<BucketChoice | null>(null);
  const params = { ...scope, asOf, convertTo };
  const aging = useReport<Aging>('aging', params);
  const late = useReport<TopLate>('top-late-customers', { ...scope, asOf, currency, limit: 20 }, !!currency);
  return (
    <Stack>
      <ReportCard
        title={t('charts.aging')}
        hint={t('charts.agingHint')}
        actions={<>
          <Select size="xs" w={170} placeholder={t('filters.noConversion')} aria-label={t('filters.convertTo')} data={currencies} value={convertTo} onChange={setConvertTo} clearable data-testid="convert-to" />
          <ExportButton name="aging" params={params} />
        </>}
      >
        <QueryState query={aging}>
          {(data) => (
            <Stack>
              <AgingCharts aging={data} onSelect={setBucket} />
              {data.converted && (
                <Stack gap={4} data-testid="aging-converted">
                  <Text fw={600}>{t('common.labelValue', { label: t('aging.converted', { currency: data.converted.currency }), value: formatMoney(data.converted.totalMinor, data.converted.currency, lang) })}</Text>
                  <Text size="xs" c="dimmed">{t('aging.convertedNote', { date: formatDay(data.asOf, lang) })}</Text>
                  {data.converted.rates.flatMap((r) => r.legs.map((l) => (
                    <Text key={`${r.currency}-${l.baseCurrency}-${l.quoteCurrency}`} size="xs">
                      {t('aging.rateUsed', { base: l.baseCurrency, rate: l.rate, quote: l.quoteCurrency, date: formatDay(l.rateOn, lang), source: t(`rateSource.${l.source}`) })}
                    </Text>
                  )))}
                  {data.converted.missingCurrencies.length > 0 && <Text size="xs" c="orange">{t('aging.missingRates', { currencies: data.converted.missingCurrencies.join(', ') })}</Text>}
                </Stack>
              )}
            </Stack>
          )}
        </QueryState>
      </ReportCard>
      <ReportCard title={t('topLate.title')} hint={currency ?? undefined} actions={<ExportButton name="top-late-customers" params={{ ...scope, asOf, currency, limit: 20 }} />}>
        <QueryState query={late}>{(data) => <TopLateTable data={data} />}</QueryState>
      </ReportCard>
      <AgingItemsDrawer choice={bucket} asOf={aging.data?.asOf} params={scope} onClose={() => setBucket(null)} />
    </Stack>
  );
}

function DsoPanel({ asOf, scope, currency }: { asOf?: string; scope: Scope; currency: string }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const [method, setMethod] = useState<'countback' | 'standard'>('countback');
  const [months, setMonths] = useState('3');
  const params = { ...scope, asOf, currency, method, months };
  const dso = useReport<Dso>('dso', params);
  const trend = useReport<DsoTrend>('dso-trend', { ...scope, asOf, currency, method, periodMonths: months, months: 12 });
  const days = (v: number | null | undefined) => (v == null ? t('kpi.notAvailable') : t('kpi.days', { value: formatNumber(v, lang) }));
  return (
    <Stack>
      <Group gap="sm" align="flex-end">
        <Stack gap={2}>
          <Text size="xs" fw={500}>{t('filters.method')}</Text>
          <SegmentedControl size="xs" value={method} onChange={(v) => setMethod(v as 'countback' | 'standard')} data={[{ value: 'countback', label: t('methods.countback') }, { value: 'standard', label: t('methods.standard') }]} data-testid="dso-method" />
        </Stack>
        <Select size="xs" w={150} label={t('filters.months')} data={['1', '2', '3', '6', '12']} value={months} onChange={(v) => setMonths(v ?? '3')} allowDeselect={false} data-testid="dso-months" />
        <ExportButton name="dso" params={params} />
      </Group>
      <QueryState query={dso}>
        {(d) => (
          <Stack>
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <KpiCard label={t('kpi.dso')} value={days(d.dso)} testId="report-dso" />
              <KpiCard label={t('kpi.bestPossibleDso')} value={days(d.bestPossibleDso)} />
              <KpiCard label={t('kpi.averageDaysDelinquent')} value={days(d.averageDaysDelinquent)} />
              <KpiCard label={t('kpi.cei')} value={d.cei == null ? t('kpi.notAvailable') : t('kpi.percent', { value: formatNumber(d.cei, lang, 1) })} />
            </SimpleGrid>
            <ReportCard title={t('explain.title')}><DsoExplanation dso={d} /></ReportCard>
          </Stack>
        )}
      </QueryState>
      <ReportCard title={t('charts.dsoTrend')} hint={`${currency} · ${t(`methods.${method}`)} · ${t('charts.inDays')}`} actions={<ExportButton name="dso-trend" params={{ ...scope, asOf, currency, method, periodMonths: months, months: 12 }} />}>
        <QueryState query={trend}>{(data) => <DsoTrendChart trend={data} />}</QueryState>
      </ReportCard>
    </Stack>
  );
}

function ForecastPanel({ scope, currency }: { scope: Scope; currency: string }) {
  const { t } = useTranslation('reports');
  const forecast = useReport<Forecast>('forecast', { ...scope, currency });
  return (
    <ReportCard title={t('charts.forecast')} hint={t('charts.forecastHint')} actions={<ExportButton name="forecast" params={{ ...scope, currency }} />}>
      <QueryState query={forecast}>{(data) => <ForecastChart forecast={data} currency={currency} />}</QueryState>
    </ReportCard>
  );
}

function CollectorsPanel({ asOf, segment }: { asOf?: string; segment: string | null }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const params = { asOf, segment, from: isDate(from) ? from : undefined, to: isDate(to) ? to : undefined };
  const q = useReport<Collectors>('collectors', params);
  return (
    <ReportCard
      title={t('page.collectors')}
      hint={q.data ? t('collectors.periodRange', { from: formatDay(q.data.fromOn, lang), to: formatDay(q.data.toOn, lang) }) : undefined}
      actions={<>
        <TextInput type="date" size="xs" aria-label={t('collectors.from')} value={from || q.data?.fromOn || ''} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" size="xs" aria-label={t('collectors.to')} value={to || q.data?.toOn || ''} onChange={(e) => setTo(e.currentTarget.value)} />
        <ExportButton name="collectors" params={params} />
      </>}
    >
      <QueryState query={q}>
        {(data) => (
          <Table striped data-testid="collectors-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('collectors.collector')}</Table.Th><Table.Th>{t('fields.currency')}</Table.Th><Table.Th ta="right">{t('collectors.open')}</Table.Th>
                <Table.Th ta="right">{t('collectors.overdue')}</Table.Th><Table.Th ta="right">{t('collectors.collected')}</Table.Th><Table.Th ta="right">{t('collectors.customers')}</Table.Th>
                <Table.Th>{t('collectors.actions')}</Table.Th><Table.Th>{t('collectors.promises')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.flatMap((c) => c.currencies.map((l, i) => (
                <Table.Tr key={`${c.collectorId}-${l.currency}`}>
                  <Table.Td>{i === 0 ? c.name ?? t('collectors.unassigned') : ''}</Table.Td><Table.Td>{l.currency}</Table.Td>
                  <Table.Td ta="right">{formatMoney(l.openMinor, l.currency, lang)}</Table.Td><Table.Td ta="right">{formatMoney(l.overdueMinor, l.currency, lang)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(l.collectedMinor, l.currency, lang)}</Table.Td><Table.Td ta="right">{l.customersWithOpenItems}</Table.Td>
                  <Table.Td><Badge variant="light" color="gray">{t('collectors.notTracked')}</Badge></Table.Td>
                  <Table.Td><Badge variant="light" color="gray">{t('collectors.notTracked')}</Badge></Table.Td>
                </Table.Tr>
              )))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </ReportCard>
  );
}

function PayersPanel({ asOf }: { asOf?: string }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const params = { asOf, limit: 100 };
  const q = useReport<PayerProfiles>('payer-profiles', params);
  const trendColor = { improving: 'teal', worsening: 'red', stable: 'gray' } as const;
  return (
    <ReportCard title={t('page.payers')} actions={<ExportButton name="payer-profiles" params={params} />}>
      <QueryState query={q}>
        {(data) => data.items.length === 0 ? <Text c="dimmed">{t('payers.none')}</Text> : (
          <Table striped data-testid="payers-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.customer')}</Table.Th><Table.Th>{t('fields.currency')}</Table.Th><Table.Th ta="right">{t('payers.daysLate')}</Table.Th>
                <Table.Th ta="right">{t('payers.onTimeShare')}</Table.Th><Table.Th ta="right">{t('payers.previousDaysLate')}</Table.Th><Table.Th>{t('payers.trend')}</Table.Th>
                <Table.Th ta="right">{t('payers.paid')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((p) => (
                <Table.Tr key={`${p.customerId}-${p.currency}`}>
                  <Table.Td>{p.customerName}</Table.Td><Table.Td>{p.currency}</Table.Td>
                  <Table.Td ta="right">{p.current.averageDaysLate == null ? '—' : formatNumber(p.current.averageDaysLate, lang)}</Table.Td>
                  <Table.Td ta="right">{p.current.onTimeSharePercent == null ? '—' : t('kpi.percent', { value: formatNumber(p.current.onTimeSharePercent, lang, 1) })}</Table.Td>
                  <Table.Td ta="right">{p.previous.averageDaysLate == null ? '—' : formatNumber(p.previous.averageDaysLate, lang)}</Table.Td>
                  <Table.Td>{p.trend ? <Badge variant="light" color={trendColor[p.trend]}>{t(`payers.trends.${p.trend}`)}</Badge> : '—'}</Table.Td>
                  <Table.Td ta="right">{formatMoney(p.current.paidMinor, p.currency, lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </ReportCard>
  );
}
