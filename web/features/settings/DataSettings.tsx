import { Alert, Button, Card, FileInput, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiUpload, type SessionInfo } from '../../api/client';
import { useApiForm } from '../../components/useApiForm';
import { useSetSession } from '../auth/session';

/** Reversibility (PRODUCT.md): the whole company out as ZIP or XLSX, and a ZIP export back in as a new company. */
export function DataSettings() {
  const { t } = useTranslation('ledger');
  const form = useApiForm();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  return (
    <Stack maw={760}>
      <Card withBorder>
        <Stack gap="sm">
          <Title order={4}>{t('data.exportTitle')}</Title>
          <Text size="sm" c="dimmed">{t('data.exportHelp')}</Text>
          <Group>
            <Button component="a" href="/api/v1/exports/company.zip" download data-testid="export-company-zip">{t('data.exportZip')}</Button>
            <Button component="a" href="/api/v1/exports/company.xlsx" download variant="default" data-testid="export-company-xlsx">{t('data.exportXlsx')}</Button>
          </Group>
        </Stack>
      </Card>
      <Card withBorder>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!file) return;
            void form.run(async () => {
              const body = new FormData();
              body.append('name', name.trim());
              body.append('file', file, file.name);
              const created = await apiUpload<{ id: string; slug: string }>('/api/v1/exports/company-import', body);
              setSession(await api<SessionInfo>('POST', '/api/v1/auth/switch-company', { tenantId: created.id }));
              await navigate({ to: '/customers' });
            });
          }}
        >
          <Stack gap="sm">
            <Title order={4}>{t('data.importTitle')}</Title>
            <Text size="sm" c="dimmed">{t('data.importHelp')}</Text>
            {form.error && <Alert color="red" role="alert">{form.fields.file ?? form.error}</Alert>}
            <TextInput label={t('data.newCompanyName')} required value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} error={form.fields.name} />
            <FileInput label={t('data.exportFile')} placeholder={t('data.chooseFile')} accept=".zip" required clearable value={file} onChange={setFile} />
            <Group><Button type="submit" loading={form.busy} disabled={!file || !name.trim()}>{t('data.importButton')}</Button></Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
