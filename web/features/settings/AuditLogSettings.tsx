import { Button, Code, Group, Stack, Table, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { formatDateTime } from '../../components/format';

type Entry = { id: string; actorLabel: string | null; actorType: string; action: string; entityType: string; entityId: string | null; before: unknown; after: unknown; ip: string | null; at: string };

export function AuditLogSettings() {
  const { t, i18n } = useTranslation();
  const [entityType, setEntityType] = useState('');
  const [action, setAction] = useState('');
  const q = useInfiniteQuery({
    queryKey: ['audit-log', entityType, action],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams({ limit: '50' });
      if (entityType) p.set('entityType', entityType);
      if (action) p.set('action', action);
      if (pageParam) p.set('cursor', pageParam);
      return api<{ items: Entry[]; nextCursor: string | null }>('GET', `/api/v1/audit-log?${p}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Group>
        <TextInput label={t('settings.audit.filterEntity')} placeholder="company, membership, api_key…" value={entityType} onChange={(e) => setEntityType(e.currentTarget.value.trim())} />
        <TextInput label={t('settings.audit.filterAction')} placeholder="company.updated" value={action} onChange={(e) => setAction(e.currentTarget.value.trim())} />
      </Group>
      <Table striped>
        <Table.Thead><Table.Tr><Table.Th>{t('settings.audit.when')}</Table.Th><Table.Th>{t('settings.audit.who')}</Table.Th><Table.Th>{t('settings.audit.action')}</Table.Th><Table.Th>{t('settings.audit.entity')}</Table.Th><Table.Th>{t('settings.security.ip')}</Table.Th><Table.Th>{t('settings.audit.details')}</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {rows.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{formatDateTime(e.at, i18n.language)}</Table.Td><Table.Td>{e.actorLabel}</Table.Td><Table.Td>{e.action}</Table.Td>
              <Table.Td>{e.entityType}</Table.Td><Table.Td>{e.ip}</Table.Td>
              <Table.Td maw={420}>{e.after ? <Code block style={{ maxHeight: 120, overflow: 'auto' }}>{JSON.stringify(e.after, null, 1)}</Code> : null}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {q.hasNextPage && <Button variant="light" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>{t('settings.audit.loadMore')}</Button>}
    </Stack>
  );
}
