import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { formatDateTime } from '../../components/format';
import type { ImportJob } from './importJob';

const STATUS_COLORS: Record<string, string> = { queued: 'gray', running: 'blue', succeeded: 'green', failed: 'red' };

/** Every import of the company, newest first: who, when, which file, how, and what it did. */
export function ImportHistory({ currentId, onOpen }: { currentId?: string; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation('imports');
  const q = useInfiniteQuery({
    queryKey: ['imports'],
    initialPageParam: '',
    queryFn: ({ pageParam }) => api<{ items: ImportJob[]; nextCursor: string | null }>('GET', `/api/v1/imports?limit=20${pageParam ? `&cursor=${pageParam}` : ''}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const n = (x: number) => new Intl.NumberFormat(i18n.language).format(x);
  return (
    <Stack gap="xs">
      <Title order={4}>{t('page.history')}</Title>
      {q.isSuccess && rows.length === 0 ? <Text c="dimmed" size="sm">{t('page.noHistory')}</Text> : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover data-testid="import-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('page.when')}</Table.Th><Table.Th>{t('page.who')}</Table.Th><Table.Th>{t('page.fileName')}</Table.Th>
                <Table.Th>{t('page.mode')}</Table.Th><Table.Th>{t('page.status')}</Table.Th><Table.Th>{t('page.counts')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((j) => {
                const s = j.summary;
                return (
                  <Table.Tr key={j.id} onClick={() => onOpen(j.id)} style={{ cursor: 'pointer' }} bg={j.id === currentId ? 'blue.0' : undefined}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(j.createdAt, i18n.language)}</Table.Td>
                    <Table.Td>{j.createdBy}</Table.Td>
                    <Table.Td>{j.fileName}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Text size="sm">{j.mode === 'snapshot' ? t('page.modeSnapshotShort') : t('page.modeDeltaShort')}</Text>
                        {j.isDryRun && <Badge size="sm" variant="outline" color="gray" style={{ minWidth: 'max-content' }}>{t('page.dryRun')}</Badge>}
                      </Group>
                    </Table.Td>
                    <Table.Td><Badge color={STATUS_COLORS[j.status]} variant="light" style={{ minWidth: 'max-content' }}>{t(`page.statuses.${j.status}`)}</Badge></Table.Td>
                    <Table.Td>
                      {s && !s.fileError ? (
                        <Group gap={4} style={{ columnGap: 12 }}>
                          {(['created', 'updated', 'unchanged', 'closed', 'rejected'] as const).map((k) => (
                            <Text key={k} size="sm" c={k === 'rejected' && s.rejected > 0 ? 'red' : undefined} style={{ whiteSpace: 'nowrap' }}>
                              {t(`page.${k}`)} {n(s[k])}
                            </Text>
                          ))}
                        </Group>
                      ) : <Text size="sm" c="red">{s?.fileError?.message}</Text>}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {q.hasNextPage && <Group><Button variant="light" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>{t('page.loadMore')}</Button></Group>}
    </Stack>
  );
}
