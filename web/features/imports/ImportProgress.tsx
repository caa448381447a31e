import { Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportJob } from './importJob';

/**
 * While rows are being checked the server does not know the total yet (rowsTotal follows rowsDone): the bar is
 * indeterminate then and counts rows; while writing, it fills up to the checked total.
 */
export function ImportProgress({ job }: { job: ImportJob }) {
  const { t, i18n } = useTranslation('imports');
  const { rowsDone, rowsTotal } = job.progress;
  const isKnown = rowsTotal > 0 && rowsDone < rowsTotal;
  const n = (x: number) => new Intl.NumberFormat(i18n.language).format(x);
  // A real import checks every row again before writing: only the writing phase knows its total.
  const label = job.status === 'queued' ? t('page.queued') : !job.isDryRun && isKnown ? t('page.running') : t('page.validating');
  return (
    <Stack gap="xs" data-testid="import-progress">
      <Text fw={500}>{label}</Text>
      {isKnown ? (
        <Progress value={(100 * rowsDone) / rowsTotal} size="lg" transitionDuration={200} aria-label={label} />
      ) : (
        <Progress value={100} size="lg" striped animated aria-label={label} />
      )}
      <Text size="sm" c="dimmed">{isKnown ? t('page.rowsProgress', { done: n(rowsDone), total: n(rowsTotal) }) : rowsDone > 0 ? t('page.rowsRead', { done: n(rowsDone) }) : '\u00a0'}</Text>
    </Stack>
  );
}
