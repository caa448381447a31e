import { Alert, Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ImportCounts } from './ImportPreview';
import type { ImportJob } from './importJob';

/** Step 3 of one import: what was written (or why nothing was), with the way to the customers. */
export function ImportResult({ job, onNewFile }: { job: ImportJob; onNewFile: () => void }) {
  const { t } = useTranslation('imports');
  const s = job.summary;
  const ok = job.status === 'succeeded';
  return (
    <Stack data-testid="import-result">
      <Title order={4}>{ok ? t('page.succeeded') : t('page.failed')}</Title>
      {s?.fileError && <Alert color="red" role="alert">{s.fileError.message}</Alert>}
      {!ok && !s?.fileError && <Alert color="red" role="alert">{t('page.nothingWritten')}</Alert>}
      {s && !s.fileError && (
        <ImportCounts summary={s} prefix="result" />
      )}
      {!ok && !!s?.errors?.length && (
        <Table striped verticalSpacing={4}>
          <Table.Tbody>
            {s.errors.map((e, i) => (
              <Table.Tr key={i}><Table.Td>{e.row}</Table.Td><Table.Td>{t(`fields.${e.column}`, { defaultValue: e.column })}</Table.Td><Table.Td>{e.value}</Table.Td><Table.Td>{e.message}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {ok && s && s.rejected > 0 && <Text size="sm" c="orange">{t('page.skippedRows', { count: s.rejected })}</Text>}
      <Group>
        {ok && <Anchor component={Link} to="/customers" data-testid="view-customers">{t('page.viewCustomers')}</Anchor>}
        <Button variant="default" onClick={onNewFile} data-testid="new-file">{t('page.newFile')}</Button>
      </Group>
    </Stack>
  );
}
