import { Stack, Tabs, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { ApiKeysSettings } from './ApiKeysSettings';
import { AuditLogSettings } from './AuditLogSettings';
import { DataSettings } from './DataSettings';
import { CompanySettings } from './CompanySettings';
import { SecuritySettings } from './SecuritySettings';
import { UsersSettings } from './UsersSettings';

const ADMIN_ROLES = ['owner', 'admin'];

export function SettingsPage() {
  const { t } = useTranslation();
  const role = useSession().data?.role ?? '';
  const isAdmin = ADMIN_ROLES.includes(role);
  const search = useSearch({ strict: false }) as { tab?: string };
  const navigate = useNavigate();
  const tab = search.tab ?? (isAdmin ? 'company' : 'security');
  return (
    <Stack>
      <Title order={2}>{t('settings.title')}</Title>
      <Tabs value={tab} onChange={(v) => void navigate({ to: '/settings', search: { tab: v ?? undefined } })} keepMounted={false}>
        <Tabs.List>
          {isAdmin && <Tabs.Tab value="company">{t('settings.tabs.company')}</Tabs.Tab>}
          {isAdmin && <Tabs.Tab value="users">{t('settings.tabs.users')}</Tabs.Tab>}
          {isAdmin && <Tabs.Tab value="apiKeys">{t('settings.tabs.apiKeys')}</Tabs.Tab>}
          <Tabs.Tab value="security">{t('settings.tabs.security')}</Tabs.Tab>
          {isAdmin && <Tabs.Tab value="audit">{t('settings.tabs.audit')}</Tabs.Tab>}
          {isAdmin && <Tabs.Tab value="data">{t('ledger:data.tab')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="company" pt="md"><CompanySettings /></Tabs.Panel>
        <Tabs.Panel value="users" pt="md"><UsersSettings /></Tabs.Panel>
        <Tabs.Panel value="apiKeys" pt="md"><ApiKeysSettings /></Tabs.Panel>
        <Tabs.Panel value="security" pt="md"><SecuritySettings /></Tabs.Panel>
        <Tabs.Panel value="audit" pt="md"><AuditLogSettings /></Tabs.Panel>
        <Tabs.Panel value="data" pt="md"><DataSettings /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
