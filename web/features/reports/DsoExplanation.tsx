import { Drawer, List, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDay, formatMoney, formatMonth, formatNumber } from './reportFormat';
import type { CountbackWalk, Dso } from './reportsApi';

/** "Every figure opens to how it was computed": the numbers behind the DSO, best possible DSO, ADD and CEI. */
export function DsoExplanation({ dso }: { dso: Dso }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const e = dso.explanation;
  const m = (minor: number) => formatMoney(minor, dso.currency, lang);
  const d = (days: number | null) => (days === null ? t('kpi.notAvailable') : formatNumber(days, lang));
  return (
    <Stack gap="md" data-testid="dso-explanation">
      <Table withTableBorder>
        <Table.Tbody>
          <Table.Tr><Table.Td>{t('explain.receivables')} ({formatDay(dso.asOf, lang)})</Table.Td><Table.Td ta="right">{m(e.receivablesMinor)}</Table.Td></Table.Tr>
          <Table.Tr><Table.Td>{t('explain.notYetDue')}</Table.Td><Table.Td ta="right">{m(e.notYetDueMinor)}</Table.Td></Table.Tr>
          <Table.Tr><Table.Td>{t('explain.openingReceivables', { date: formatDay(e.openingReceivablesOn, lang) })}</Table.Td><Table.Td ta="right">{m(e.openingReceivablesMinor)}</Table.Td></Table.Tr>
          <Table.Tr><Table.Td>{t('explain.periodSales')}</Table.Td><Table.Td ta="right">{m(e.periodSalesMinor)}</Table.Td></Table.Tr>
          <Table.Tr><Table.Td>{t('explain.periodDays')}</Table.Td><Table.Td ta="right">{e.periodDays}</Table.Td></Table.Tr>
        </Table.Tbody>
      </Table>
      <Stack gap={4}>
        <Title order={6}>{t('explain.periodMonths')}</Title>
        <Table striped>
          <Table.Thead><Table.Tr><Table.Th>{t('fields.month')}</Table.Th><Table.Th ta="right">{t('fields.days')}</Table.Th><Table.Th ta="right">{t('fields.sales')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {e.periodMonths.map((p) => (
              <Table.Tr key={p.monthKey}><Table.Td>{formatMonth(p.monthKey, lang)}</Table.Td><Table.Td ta="right">{p.days}</Table.Td><Table.Td ta="right">{m(p.salesMinor)}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
      {dso.method === 'standard' ? (
        <Text size="sm">{t('explain.standardFormula', { receivables: m(e.receivablesMinor), sales: m(e.periodSalesMinor), days: e.periodDays, dso: d(dso.dso) })}</Text>
      ) : (
        e.countback && (
          <>
            <Walk intro={t('explain.countbackIntro', { amount: m(e.receivablesMinor) })} walk={e.countback.dso} currency={dso.currency} testId="countback-dso" />
            <Walk intro={t('explain.countbackBestIntro', { amount: m(e.notYetDueMinor) })} walk={e.countback.bestPossibleDso} currency={dso.currency} testId="countback-best" />
          </>
        )
      )}
      <Text size="sm">{t('explain.addFormula', { dso: d(dso.dso), best: d(dso.bestPossibleDso), add: d(dso.averageDaysDelinquent) })}</Text>
      <Text size="sm">
        {t('explain.ceiFormula', {
          opening: m(e.openingReceivablesMinor), sales: m(e.periodSalesMinor), receivables: m(e.receivablesMinor), notYetDue: m(e.notYetDueMinor),
          cei: dso.cei === null ? t('kpi.notAvailable') : formatNumber(dso.cei, lang, 1),
        })}
      </Text>
    </Stack>
  );
}

function Walk({ intro, walk, currency, testId }: { intro: string; walk: CountbackWalk; currency: string; testId: string }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const m = (minor: number) => formatMoney(minor, currency, lang);
  return (
    <Stack gap={4} data-testid={testId}>
      <Text size="sm">{intro}</Text>
      <List size="sm" spacing={2}>
        {walk.steps.map((s) => {
          const month = formatMonth(s.monthKey, lang);
          const days = formatNumber(s.daysAdded, lang);
          const text =
            s.kind === 'full' ? t('explain.stepFull', { month, sales: m(s.salesMinor), days, remainder: m(s.remainderAfterMinor) })
            : s.kind === 'partial' ? t('explain.stepPartial', { month, remainder: m(walk.startingAmountMinor === 0 ? 0 : previousRemainder(walk, s.monthKey)), sales: m(s.salesMinor), monthDays: s.days, days })
            : s.kind === 'noSales' ? t('explain.stepNoSales', { month, days })
            : t('explain.stepSkipped', { month });
          return <List.Item key={s.monthKey}>{text}</List.Item>;
        })}
      </List>
      {walk.isCapped && <Text size="sm" c="orange">{t('explain.capped')}</Text>}
      <Text size="sm" fw={600}>{t('explain.total', { days: walk.days === null ? t('kpi.notAvailable') : formatNumber(walk.days, lang) })}</Text>
    </Stack>
  );
}

/** The remainder before a step: the starting amount, or what the previous step left. */
function previousRemainder(walk: CountbackWalk, monthKey: string): number {
  const i = walk.steps.findIndex((s) => s.monthKey === monthKey);
  return i <= 0 ? walk.startingAmountMinor : walk.steps[i - 1].remainderAfterMinor;
}

export function DsoExplanationDrawer({ dso, opened, onClose }: { dso: Dso | undefined; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('reports');
  return (
    <Drawer opened={opened && !!dso} onClose={onClose} position="right" size="lg" title={t('explain.title')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {dso && <DsoExplanation dso={dso} />}
    </Drawer>
  );
}
