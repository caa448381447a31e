import { Alert, Button, Card, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { reportUrl, type ReportParams } from './reportsApi';

/** A plain link: the browser downloads the workbook with the filters the user sees. */
export function ExportButton({ name, params, testId }: { name: string; params: ReportParams; testId?: string }) {
  const { t } = useTranslation('reports');
  return (
    <Button component="a" href={reportUrl(name, params, '.xlsx')} download variant="default" size="xs" data-testid={testId ?? `export-${name.replace('/', '-')}`}>
      {t('xlsx.export')}
    </Button>
  );
}

/** A titled card; `actions` sit on the right of the title (export, "how computed"). */
export function ReportCard({ title, hint, actions, children, testId }: { title: string; hint?: string; actions?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="md" radius="md" data-testid={testId}>
      <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
        <Stack gap={0}>
          <Title order={4}>{title}</Title>
          {hint && <Text size="xs" c="dimmed">{hint}</Text>}
        </Stack>
        {actions && <Group gap="xs" wrap="nowrap">{actions}</Group>}
      </Group>
      {children}
    </Card>
  );
}

export function KpiCard({ label, value, detail, testId, action }: { label: string; value: string; detail?: string; testId?: string; action?: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text fz={26} fw={700} lh={1.3} data-testid={testId ? `${testId}-value` : undefined}>{value}</Text>
      {detail && <Text size="xs" c="dimmed">{detail}</Text>}
      {action}
    </Paper>
  );
}

/** Loading and error states of a report, in the user's language; renders `children` once there is data. */
export type QueryLike<T> = { data: T | undefined; isError: boolean; error: unknown };

export function QueryState<T>({ query, children }: { query: QueryLike<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation('reports');
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.isError) return <Alert color="red">{t('common.error', { message: (query.error as Error).message })}</Alert>;
  return (
    <Group justify="center" p="md">
      <Loader size="sm" />
      <Text size="sm" c="dimmed">{t('common.loading')}</Text>
    </Group>
  );
}
