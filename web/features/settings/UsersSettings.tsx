import { Alert, Badge, Button, Group, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../../common/roles';
import { api } from '../../api/client';
import { formatDateTime } from '../../components/format';
import { useApiForm } from '../../components/useApiForm';
import { useSession } from '../auth/session';

type Member = { userId: string; email: string; firstName: string | null; lastName: string | null; role: string; isActive: boolean };
type Invitation = { id: string; email: string; role: string; expiresAt: string };

export function UsersSettings() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const me = useSession().data?.user.id;
  const members = useQuery({ queryKey: ['users'], queryFn: () => api<{ items: Member[] }>('GET', '/api/v1/users') });
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: () => api<{ items: Invitation[] }>('GET', '/api/v1/users/invitations') });
  const form = useApiForm();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('collector');
  const [sent, setSent] = useState<string | null>(null);
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: ['users'] }), qc.invalidateQueries({ queryKey: ['invitations'] })]);
  const change = (userId: string, body: object) => form.run(async () => { await api('PATCH', `/api/v1/users/${userId}`, body); await refresh(); });

  return (
    <Stack>
      {form.error && <Alert color="red">{form.error}</Alert>}
      <Title order={4}>{t('settings.users.members')}</Title>
      <Table striped>
        <Table.Thead><Table.Tr><Table.Th>{t('common.name')}</Table.Th><Table.Th>{t('common.email')}</Table.Th><Table.Th>{t('common.role')}</Table.Th><Table.Th>{t('common.status')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {members.data?.items.map((m) => (
            <Table.Tr key={m.userId}>
              <Table.Td>{[m.firstName, m.lastName].filter(Boolean).join(' ')}{m.userId === me ? ` (${t('settings.users.you')})` : ''}</Table.Td>
              <Table.Td>{m.email}</Table.Td>
              <Table.Td><Select size="xs" w={190} data={roleOptions} value={m.role} allowDeselect={false} onChange={(r) => r && void change(m.userId, { role: r })} /></Table.Td>
              <Table.Td><Badge color={m.isActive ? 'green' : 'gray'}>{m.isActive ? t('common.active') : t('common.inactive')}</Badge></Table.Td>
              <Table.Td>{m.userId !== me && <Button size="xs" variant="light" color={m.isActive ? 'red' : 'blue'} onClick={() => void change(m.userId, { isActive: !m.isActive })}>{m.isActive ? t('settings.users.deactivate') : t('settings.users.activate')}</Button>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={4}>{t('settings.users.invite')}</Title>
      {sent && <Alert color="green">{t('settings.users.inviteSent', { email: sent })}</Alert>}
      <form onSubmit={(e) => { e.preventDefault(); setSent(null); void form.run(async () => { await api('POST', '/api/v1/users/invitations', { email, role }); setSent(email); setEmail(''); await refresh(); }); }}>
        <Group align="flex-end">
          <TextInput label={t('common.email')} type="email" required w={280} value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={form.fields.email} />
          <Select label={t('common.role')} data={roleOptions} value={role} allowDeselect={false} onChange={(r) => r && setRole(r)} w={200} />
          <Button type="submit" loading={form.busy}>{t('settings.users.invite')}</Button>
        </Group>
      </form>

      {!!invitations.data?.items.length && (
        <>
          <Title order={5}>{t('settings.users.pending')}</Title>
          <Table>
            <Table.Tbody>
              {invitations.data.items.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.email}</Table.Td><Table.Td>{t(`roles.${i.role}`)}</Table.Td>
                  <Table.Td>{t('settings.users.expiresAt')}: {formatDateTime(i.expiresAt, i18n.language)}</Table.Td>
                  <Table.Td><Button size="xs" variant="subtle" color="red" onClick={() => void form.run(async () => { await api('DELETE', `/api/v1/users/invitations/${i.id}`); await refresh(); })}>{t('common.revoke')}</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
