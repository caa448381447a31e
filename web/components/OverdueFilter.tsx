import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The "overdue" filter of the ledger lists; the value is the `overdue` query parameter ('true' | 'false'). */
export function OverdueFilter({ value, onChange, w }: { value: string | undefined; onChange: (v: string | undefined) => void; w: number }) {
  const { t } = useTranslation('ledger');
  return (
    <Select
      label={t('filters.overdue')}
      placeholder={t('filters.all')}
      clearable
      data={[{ value: 'true', label: t('filters.overdueOnly') }, { value: 'false', label: t('filters.notOverdue') }]}
      value={value ?? null}
      onChange={(v) => onChange(v ?? undefined)}
      w={w}
    />
  );
}
