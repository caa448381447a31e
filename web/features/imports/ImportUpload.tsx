import { Alert, Button, Card, FileInput, Group, Radio, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiForm } from '../../components/useApiForm';
import { uploadImport } from './importJob';

/** Step 1: the file, where it comes from and the mode; sent as a preview (dry run) first, never written directly. */
export function ImportUpload({ onStarted }: { onStarted: (id: string) => void }) {
  const { t } = useTranslation('imports');
  const form = useApiForm();
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState('default');
  const [mode, setMode] = useState<'delta' | 'snapshot'>('delta');
  return (
    <Card withBorder maw={860}>
      <form
        data-testid="import-upload"
        onSubmit={(e) => {
          e.preventDefault();
          if (!file) return;
          void form.run(async () => {
            const job = await uploadImport(file, { mode, source: source.trim() || 'default', dryRun: true, skipInvalid: false });
            onStarted(job.id);
          });
        }}
      >
        <Stack>
          <Title order={4}>{t('page.newImport')}</Title>
          {form.error && <Alert color="red" role="alert">{form.fields.file ?? form.error}</Alert>}
          <FileInput label={t('page.file')} description={t('page.fileHelp')} placeholder={t('page.chooseFile')} accept=".csv,.txt,.xlsx" required clearable value={file} onChange={setFile} data-testid="import-file" />
          <TextInput label={t('page.source')} description={t('page.sourceHelp')} value={source} onChange={(e) => setSource(e.currentTarget.value)} maxLength={50} w={320} error={form.fields['options.source']} />
          <Radio.Group label={t('page.mode')} value={mode} onChange={(v) => setMode(v as 'delta' | 'snapshot')}>
            <Stack gap="xs" mt="xs">
              <Radio value="delta" label={t('page.modeDelta')} />
              <Radio value="snapshot" label={t('page.modeSnapshot')} />
            </Stack>
          </Radio.Group>
          <Group><Button type="submit" disabled={!file} loading={form.busy} data-testid="analyse">{t('page.analyse')}</Button></Group>
        </Stack>
      </form>
    </Card>
  );
}
