import { Alert, Badge, Button, Group, PasswordInput, Stack, Table, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { formatDateTime } from '../../components/format';
import { useApiForm } from '../../components/useApiForm';

type Session = { id: string; ip: string | null; userAgent: string | null; createdAt: string; lastSeenAt: string; isCurrent: boolean };
type Attempt = { id: string; isSuccess: boolean; ip: string | null; userAgent: string | null; at: string };

export function SecuritySettings() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const sessions = useQuery({ queryKey: ['my-sessions'], queryFn: () => api<{ items: Session[] }>('GET', '/api/v1/me/sessions') });
  const history = useQuery({ queryKey: ['login-history'], queryFn: () => api<{ items: Attempt[] }>('GET', '/api/v1/me/login-history') });
  const form = useApiForm();
  const [pw, setPw] = useState({ currentPassword: '', newPassword: '' });
  const [changed, setChanged] = useState(false);
  const lang = i18n.language;
  return (
    <Stack>
      {form.error && <Alert color="red">{form.error}</Alert>}
      <Title order={4}>{t('settings.security.sessions')}</Title>
      <Table striped>
        <Table.Thead><Table.Tr><Table.Th>{t('settings.security.browser')}</Table.Th><Table.Th>{t('settings.security.ip')}</Table.Th><Table.Th>{t('common.createdAt')}</Table.Th><Table.Th>{t('settings.security.lastSeen')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {sessions.data?.items.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td maw={360} style={{ overflowWrap: 'anywhere' }}>{s.userAgent}</Table.Td><Table.Td>{s.ip}</Table.Td>
              <Table.Td>{formatDateTime(s.createdAt, lang)}</Table.Td><Table.Td>{formatDateTime(s.lastSeenAt, lang)}</Table.Td>
              <Table.Td>{s.isCurrent ? <Badge>{t('settings.security.current')}</Badge> : <Button size="xs" variant="subtle" color="red" onClick={() => void form.run(async () => { await api('DELETE', `/api/v1/me/sessions/${s.id}`); await qc.invalidateQueries({ queryKey: ['my-sessions'] }); })}>{t('common.revoke')}</Button>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={4}>{t('settings.security.loginHistory')}</Title>
      <Table striped>
        <Table.Thead><Table.Tr><Table.Th>{t('settings.security.when')}</Table.Th><Table.Th>{t('settings.security.result')}</Table.Th><Table.Th>{t('settings.security.ip')}</Table.Th><Table.Th>{t('settings.security.browser')}</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {history.data?.items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{formatDateTime(a.at, lang)}</Table.Td>
              <Table.Td><Badge color={a.isSuccess ? 'green' : 'red'}>{a.isSuccess ? t('settings.security.success') : t('settings.security.failure')}</Badge></Table.Td>
              <Table.Td>{a.ip}</Table.Td><Table.Td maw={360} style={{ overflowWrap: 'anywhere' }}>{a.userAgent}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={4}>{t('settings.security.changePassword')}</Title>
      {changed && <Alert color="green">{t('settings.security.passwordChanged')}</Alert>}
      <form onSubmit={(e) => { e.preventDefault(); setChanged(false); void form.run(async () => { await api('POST', '/api/v1/me/password', pw); setPw({ currentPassword: '', newPassword: '' }); setChanged(true); await qc.invalidateQueries({ queryKey: ['my-sessions'] }); }); }}>
        <Group align="flex-start">
          <PasswordInput label={t('auth.currentPassword')} required value={pw.currentPassword} onChange={(e) => setPw({ ...pw, currentPassword: e.currentTarget.value })} error={form.fields.currentPassword} />
          <PasswordInput label={t('auth.newPassword')} description={t('auth.passwordHint')} required value={pw.newPassword} onChange={(e) => setPw({ ...pw, newPassword: e.currentTarget.value })} error={form.fields.newPassword} w={320} />
          <Button type="submit" mt={24} loading={form.busy}>{t('common.save')}</Button>
        </Group>
      </form>
    </Stack>
  );
}
