import { Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';

export function DashboardPage() {
  const { t } = useTranslation();
  const s = useSession().data;
  const name = s?.user.firstName || s?.user.email || '';
  return (
    <Stack>
      <Title order={2}>{t('dashboard.title')}</Title>
      <Card withBorder>
        <Title order={4}>{t('dashboard.welcome', { name })}</Title>
        <Text c="dimmed">{t('dashboard.intro')}</Text>
      </Card>
    </Stack>
  );
}

/** Sections whose issues are still open show what they will hold, translated, rather than an empty page. */
export function ComingSoonPage({ titleKey }: { titleKey: string }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t(titleKey)}</Title>
      <Card withBorder><Text c="dimmed">{t('common.comingSoon')}</Text></Card>
    </Stack>
  );
}
