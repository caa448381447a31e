import { Alert, Anchor, Badge, Button, Code, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../../common/roles';
import { api } from '../../api/client';
import { formatDateTime } from '../../components/format';
import { useApiForm } from '../../components/useApiForm';

type ApiKey = { id: string; name: string; role: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export function ApiKeysSettings() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => api<{ items: ApiKey[] }>('GET', '/api/v1/api-keys') });
  const form = useApiForm();
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['api-keys'] });
  return (
    <Stack>
      <Text size="sm">{t('settings.apiKeys.help')} <Anchor href="/api/docs" target="_blank">{t('settings.apiKeys.docs')}</Anchor></Text>
      {form.error && <Alert color="red">{form.error}</Alert>}
      <form onSubmit={(e) => { e.preventDefault(); void form.run(async () => { const k = await api<{ secret: string }>('POST', '/api/v1/api-keys', { name, role }); setSecret(k.secret); setName(''); await refresh(); }); }}>
        <Group align="flex-end">
          <TextInput label={t('common.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={form.fields.name} />
          <Select label={t('common.role')} data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} value={role} allowDeselect={false} onChange={(r) => r && setRole(r)} />
          <Button type="submit" loading={form.busy}>{t('settings.apiKeys.create')}</Button>
        </Group>
      </form>
      <Modal opened={!!secret} onClose={() => setSecret(null)} title={t('settings.apiKeys.secretTitle')} size="lg">
        <Stack>
          <Code block data-testid="api-key-secret">{secret}</Code>
          <Text size="sm">{t('settings.apiKeys.secretHelp')}</Text>
          <Button onClick={() => setSecret(null)}>{t('common.close')}</Button>
        </Stack>
      </Modal>
      <Table striped>
        <Table.Thead><Table.Tr><Table.Th>{t('common.name')}</Table.Th><Table.Th>{t('common.role')}</Table.Th><Table.Th>{t('settings.apiKeys.prefix')}</Table.Th><Table.Th>{t('common.createdAt')}</Table.Th><Table.Th>{t('settings.apiKeys.lastUsed')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {keys.data?.items.map((k) => (
            <Table.Tr key={k.id}>
              <Table.Td>{k.name}</Table.Td><Table.Td>{t(`roles.${k.role}`)}</Table.Td><Table.Td><Code>{k.prefix}…</Code></Table.Td>
              <Table.Td>{formatDateTime(k.createdAt, i18n.language)}</Table.Td>
              <Table.Td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, i18n.language) : t('common.never')}</Table.Td>
              <Table.Td>{k.revokedAt ? <Badge color="gray">{t('settings.apiKeys.revoked')}</Badge> : <Button size="xs" variant="subtle" color="red" onClick={() => void form.run(async () => { await api('DELETE', `/api/v1/api-keys/${k.id}`); await refresh(); })}>{t('common.revoke')}</Button>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
