import { Alert, Badge, Button, Card, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiForm } from '../../components/useApiForm';
import { IMPORT_FIELDS, REQUIRED_FIELDS, rerunImport, type ImportField, type ImportJob, type ImportOptions, type ImportSummary } from './importJob';

const NONE = '__none__';
type Mapping = Record<ImportField, string>;
const fullMapping = (m: Partial<Record<ImportField, string>> | undefined): Mapping =>
  Object.fromEntries(IMPORT_FIELDS.map((f) => [f, m?.[f] ?? ''])) as Mapping;

export function CountCard({ label, value, color, testId }: { label: string; value: number; color?: string; testId: string }) {
  const { i18n } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text size="xl" fw={700} c={value > 0 ? color : undefined}>{new Intl.NumberFormat(i18n.language).format(value)}</Text>
    </Paper>
  );
}

/** What an import did or would do: the six counts of its summary. `prefix` keeps the test ids of each step apart. */
export function ImportCounts({ summary: s, prefix }: { summary: ImportSummary; prefix: string }) {
  const { t } = useTranslation('imports');
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} data-testid={`${prefix}-counts`}>
      <CountCard label={t('page.created')} value={s.created} color="green" testId={`${prefix}-created`} />
      <CountCard label={t('page.updated')} value={s.updated} color="blue" testId={`${prefix}-updated`} />
      <CountCard label={t('page.unchanged')} value={s.unchanged} testId={`${prefix}-unchanged`} />
      <CountCard label={t('page.closed')} value={s.closed} color="orange" testId={`${prefix}-closed`} />
      <CountCard label={t('page.rejected')} value={s.rejected} color="red" testId={`${prefix}-rejected`} />
      <CountCard label={t('page.customersCreated')} value={s.customers.created} color="green" testId={`${prefix}-customers`} />
    </SimpleGrid>
  );
}

/**
 * Step 2 (a dry run has finished): what was detected, the column mapping to correct and check again, what the import
 * would do, the rows in error; then the real import of the same stored file with the confirmed options.
 */
export function ImportPreview({ job, onJob, onCancel }: { job: ImportJob; onJob: (id: string) => void; onCancel: () => void }) {
  const { t } = useTranslation('imports');
  const s = job.summary;
  const form = useApiForm();
  const detected = useMemo(() => fullMapping(s?.mapping), [s?.mapping]);
  const [mapping, setMapping] = useState<Mapping>(detected);
  const [sheet, setSheet] = useState<string | undefined>(s?.formats.sheet);
  const [skipInvalid, setSkipInvalid] = useState(false);
  useEffect(() => {
    setMapping(detected);
    setSheet(s?.formats.sheet);
  }, [detected, s?.formats.sheet]);
  if (!s) return null;

  const headers = [...new Set(s.headers.filter((h) => h.trim()))];
  const isDirty = IMPORT_FIELDS.some((f) => mapping[f] !== detected[f]) || sheet !== s.formats.sheet;
  const hasMissingRequired = REQUIRED_FIELDS.some((f) => !mapping[f]);
  const errors = s.errors ?? [];
  const options = (dryRun: boolean): ImportOptions => ({
    mode: job.mode, source: job.source, mapping, dryRun, skipInvalid: !dryRun && skipInvalid, ...(sheet ? { sheet } : {}),
  });
  const run = (dryRun: boolean) => form.run(async () => onJob((await rerunImport(job.id, options(dryRun))).id));
  const canConfirm = !s.fileError && !isDirty && (s.rejected === 0 || skipInvalid);

  return (
    <Stack data-testid="import-preview">
      <Group justify="space-between">
        <Title order={4}>{t('page.preview')}</Title>
        <Group gap="xs">
          <Badge variant="light">{job.fileName}</Badge>
          <Badge variant="outline">{job.mode === 'snapshot' ? t('page.modeSnapshotShort') : t('page.modeDeltaShort')}</Badge>
          <Badge variant="outline" color="gray">{t('page.source')}: {job.source}</Badge>
        </Group>
      </Group>
      {form.error && <Alert color="red" role="alert">{form.error}</Alert>}
      {s.fileError && <Alert color="red" role="alert" title={t('page.failed')} data-testid="file-error">{s.fileError.message}</Alert>}

      {headers.length > 0 && (
        <Group gap="xs" data-testid="import-formats">
          <Text size="sm">{t('page.formats', { decimal: s.formats.decimalSeparator, dateOrder: t(`page.dateOrders.${s.formats.dateOrder}`, { defaultValue: s.formats.dateOrder }) })}</Text>
          {s.formats.delimiter && <Badge variant="default">{t('page.delimiter', { delimiter: s.formats.delimiter === '\t' ? 'TAB' : s.formats.delimiter })}</Badge>}
          {s.formats.encoding && <Badge variant="default">{s.formats.encoding}</Badge>}
        </Group>
      )}

      {!s.fileError && (
        <ImportCounts summary={s} prefix="count" />
      )}

      {headers.length > 0 && (
        <Card withBorder>
          <Stack gap="sm">
            <Group justify="space-between">
              <Text fw={600}>{t('page.mapping')}</Text>
              {s.formats.sheets && s.formats.sheets.length > 1 && (
                <Select label={t('page.sheet')} data={s.formats.sheets} value={sheet ?? null} onChange={(v) => setSheet(v ?? undefined)} allowDeselect={false} w={220} />
              )}
            </Group>
            <Table.ScrollContainer minWidth={500} maw={720}>
              <Table verticalSpacing={4} data-testid="mapping-table">
                <Table.Thead><Table.Tr><Table.Th>{t('page.field')}</Table.Th><Table.Th>{t('page.header')}</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {IMPORT_FIELDS.map((f) => (
                    <Table.Tr key={f} data-testid={`mapping-${f}`}>
                      <Table.Td>
                        <Text size="sm" fw={REQUIRED_FIELDS.includes(f) ? 600 : 400}>{t(`fields.${f}`)}{REQUIRED_FIELDS.includes(f) && <Text span c="red"> *</Text>}</Text>
                      </Table.Td>
                      <Table.Td w={320}>
                        <Select
                          size="xs"
                          aria-label={t(`fields.${f}`)}
                          allowDeselect={false}
                          searchable
                          data={[{ value: NONE, label: t('page.notMapped') }, ...headers.map((h) => ({ value: h, label: h }))]}
                          value={mapping[f] || NONE}
                          onChange={(v) => setMapping((m) => ({ ...m, [f]: !v || v === NONE ? '' : v }))}
                          error={REQUIRED_FIELDS.includes(f) && !mapping[f] ? t('page.requiredField') : undefined}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group>
              <Button variant={isDirty ? 'filled' : 'light'} onClick={() => void run(true)} loading={form.busy} disabled={hasMissingRequired} data-testid="reanalyse">{t('page.reanalyse')}</Button>
              {isDirty && <Text size="sm" c="orange">{t('page.mappingChanged')}</Text>}
            </Group>
          </Stack>
        </Card>
      )}

      {errors.length > 0 && (
        <Card withBorder>
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600}>{t('page.errors')}</Text>
              <Badge color="red" data-testid="error-count">{t('page.errorCount', { count: s.errorCount })}</Badge>
            </Group>
            <Table.ScrollContainer minWidth={600}>
              <Table striped verticalSpacing={4} data-testid="import-errors">
                <Table.Thead>
                  <Table.Tr><Table.Th>{t('page.row')}</Table.Th><Table.Th>{t('page.column')}</Table.Th><Table.Th>{t('page.header')}</Table.Th><Table.Th>{t('page.value')}</Table.Th><Table.Th>{t('page.message')}</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {errors.map((e, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{e.row}</Table.Td>
                      <Table.Td>{t(`fields.${e.column}`, { defaultValue: e.column })}</Table.Td>
                      <Table.Td>{e.header}</Table.Td>
                      <Table.Td><Text size="sm" ff="monospace">{e.value}</Text></Table.Td>
                      <Table.Td>{e.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {s.errorCount > errors.length && <Text size="sm" c="dimmed">{t('page.moreErrors', { count: s.errorCount - errors.length })}</Text>}
          </Stack>
        </Card>
      )}

      {!s.fileError && (
        <Card withBorder>
          <Stack gap="sm">
            {s.rejected > 0 && (
              <Checkbox
                label={t('page.skipInvalid')}
                description={t('page.skipInvalidHelp', { count: s.rejected })}
                checked={skipInvalid}
                onChange={(e) => setSkipInvalid(e.currentTarget.checked)}
                data-testid="skip-invalid"
              />
            )}
            {s.rejected > 0 && !skipInvalid && <Text size="sm" c="orange">{t('page.confirmWithErrors')}</Text>}
            <Group>
              <Button onClick={() => void run(false)} disabled={!canConfirm} loading={form.busy} data-testid="confirm-import">{t('page.confirm')}</Button>
              <Button variant="default" onClick={onCancel}>{t('page.newFile')}</Button>
            </Group>
          </Stack>
        </Card>
      )}
      {s.fileError && <Group><Button variant="default" onClick={onCancel}>{t('page.newFile')}</Button></Group>}
    </Stack>
  );
}
