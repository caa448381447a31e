import { Group, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFilterOptions } from './reportsApi';

export type Filters = { collectorId: string | null; segment: string | null; currency: string | null };

/** Collector, segment and currency filters shared by the dashboard and the reports page. */
export function ReportFilters({ value, onChange, currencies }: { value: Filters; onChange: (f: Filters) => void; currencies: string[] }) {
  const { t } = useTranslation('reports');
  const options = useFilterOptions().data;
  return (
    <Group gap="sm" data-testid="report-filters">
      <Select
        label={t('filters.collector')}
        placeholder={t('filters.allCollectors')}
        data={(options?.collectors ?? []).map((c) => ({ value: c.id, label: c.name }))}
        value={value.collectorId}
        onChange={(collectorId) => onChange({ ...value, collectorId })}
        clearable
        size="xs"
        w={250}
        data-testid="filter-collector"
      />
      <Select
        label={t('filters.segment')}
        placeholder={t('filters.allSegments')}
        data={options?.segments ?? []}
        value={value.segment}
        onChange={(segment) => onChange({ ...value, segment })}
        clearable
        size="xs"
        w={180}
        data-testid="filter-segment"
      />
      <Select
        label={t('filters.currency')}
        data={currencies}
        value={value.currency}
        onChange={(currency) => onChange({ ...value, currency })}
        allowDeselect={false}
        size="xs"
        w={110}
        data-testid="filter-currency"
      />
    </Group>
  );
}
