import { Alert, Card, Center, Loader, Stack, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/useCan';
import { ImportHistory } from './ImportHistory';
import { isFinished, useImportJob } from './importJob';
import { ImportPreview } from './ImportPreview';
import { ImportProgress } from './ImportProgress';
import { ImportResult } from './ImportResult';
import { ImportUpload } from './ImportUpload';

/**
 * Upload → preview (a dry run) → confirm (a real run of the same stored file) → result. The current import's id is in
 * the URL (?id=…), so a reload resumes on its progress or its preview.
 */
export function ImportPage() {
  const { t } = useTranslation('imports');
  const allowed = useCan('imports:run');
  const { id } = useSearch({ strict: false }) as { id?: string };
  const navigate = useNavigate();
  const job = useImportJob(id);
  const show = (next: string | undefined) => void navigate({ to: '/imports', search: next ? { id: next } : {} });

  if (!allowed) return <Stack><Title order={2}>{t('page.title')}</Title><Alert color="yellow">{t('page.notAllowed')}</Alert></Stack>;
  let step;
  if (!id) step = <ImportUpload onStarted={show} />;
  else if (job.isError) step = <Alert color="red">{job.error.message}</Alert>;
  else if (!job.data) step = <Card withBorder><Center><Loader /></Center></Card>;
  else if (!isFinished(job.data)) step = <Card withBorder><ImportProgress job={job.data} /></Card>;
  else if (job.data.isDryRun) step = <ImportPreview job={job.data} onJob={show} onCancel={() => show(undefined)} />;
  else step = <Card withBorder><ImportResult job={job.data} onNewFile={() => show(undefined)} /></Card>;

  return (
    <Stack>
      <Title order={2}>{t('page.title')}</Title>
      {step}
      <ImportHistory currentId={id} onOpen={show} />
    </Stack>
  );
}
