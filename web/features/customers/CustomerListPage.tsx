import { Anchor, Badge, Button, Card, Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OverdueFilter } from '../../components/OverdueFilter';
import { useCursorList } from '../../components/useCursorList';
import { DebouncedAutocomplete, DebouncedTextInput } from '../../components/DebouncedInput';
import { ExportButtons } from '../../components/ExportButtons';
import { formatDate } from '../../components/format';
import { MoneyLines } from '../../components/MoneyLines';
import { SortableTh } from '../../components/SortableTh';
import { useSearchState } from '../../components/useSearchState';
import { useCan } from '../auth/useCan';
import { CURRENCIES, CUSTOMER_STATUSES, CUSTOMER_STATUS_COLORS, useCollectors, useSegments, type Customer } from './customer';
import { CustomerFormModal } from './CustomerFormModal';

type CustomerSearch = { q?: string; collectorId?: string; segment?: string; status?: string; currency?: string; overdue?: string; sort?: string; order?: string };
const FILTERS = ['q', 'collectorId', 'segment', 'status', 'currency', 'overdue'] as const;

/** The list's filters as the API (and the export) take them. */
export function customerQuery(s: CustomerSearch): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of FILTERS) if (s[k]) p.set(k, s[k]!);
  p.set('sort', s.sort ?? 'name');
  p.set('order', s.order ?? 'asc');
  return p;
}

export function CustomerListPage() {
  const { t, i18n } = useTranslation('ledger');
  const navigate = useNavigate();
  const [search, setSearch] = useSearchState<CustomerSearch>();
  const [creating, setCreating] = useState(false);
  const canWrite = useCan('ledger:write');
  const canExport = useCan('exports:run');
  const collectors = useCollectors();
  const segments = useSegments();
  const params = customerQuery(search);

  const { list, rows } = useCursorList<Customer>('customers', params);
  const sort = search.sort ?? 'name';
  const order = (search.order ?? 'asc') as 'asc' | 'desc';
  const onSort = (field: string, o: 'asc' | 'desc') => setSearch({ sort: field, order: o });
  const hasFilters = FILTERS.some((k) => search[k]);
  const open = (c: Customer) => void navigate({ to: '/customers/$customerId', params: { customerId: c.id } });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('customers.title')}</Title>
        <Group gap="xs">
          {canExport && <ExportButtons base="/api/v1/exports/customers" params={params} />}
          {canWrite && <Button onClick={() => setCreating(true)} data-testid="new-customer">{t('customers.new')}</Button>}
        </Group>
      </Group>

      <Card withBorder p="sm">
        <Group align="flex-end" gap="sm">
          <DebouncedTextInput label={t('filters.search')} placeholder={t('customers.searchPlaceholder')} value={search.q ?? ''} onChange={(q) => setSearch({ q })} w={260} data-testid="customer-search" />
          {collectors.options.length > 0 && (
            <Select label={t('filters.collector')} placeholder={t('filters.all')} clearable searchable data={collectors.options} value={search.collectorId ?? null} onChange={(v) => setSearch({ collectorId: v ?? undefined })} w={180} />
          )}
          <DebouncedAutocomplete label={t('filters.segment')} placeholder={t('filters.all')} data={segments} value={search.segment ?? ''} onChange={(segment) => setSearch({ segment })} w={160} />
          <Select label={t('filters.status')} placeholder={t('filters.all')} clearable data={CUSTOMER_STATUSES.map((s) => ({ value: s, label: t(`customerStatus.${s}`) }))} value={search.status ?? null} onChange={(v) => setSearch({ status: v ?? undefined })} w={150} />
          <Select label={t('filters.currency')} placeholder={t('filters.all')} clearable searchable data={CURRENCIES} value={search.currency ?? null} onChange={(v) => setSearch({ currency: v ?? undefined })} w={120} />
          <OverdueFilter value={search.overdue} onChange={(overdue) => setSearch({ overdue })} w={170} />
          {hasFilters && <Button variant="subtle" onClick={() => setSearch(Object.fromEntries(FILTERS.map((k) => [k, undefined])))}>{t('filters.clear')}</Button>}
          {list.isFetching && <Loader size="sm" />}
        </Group>
      </Card>

      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover data-testid="customer-table">
          <Table.Thead>
            <Table.Tr>
              <SortableTh field="code" sort={sort} order={order} onSort={onSort}>{t('customers.code')}</SortableTh>
              <SortableTh field="name" sort={sort} order={order} onSort={onSort}>{t('customers.name')}</SortableTh>
              <Table.Th>{t('customers.segment')}</Table.Th>
              <Table.Th>{t('customers.collector')}</Table.Th>
              <Table.Th>{t('customers.status')}</Table.Th>
              <SortableTh field="openMinor" sort={sort} order={order} onSort={onSort} align="right">{t('balances.open')}</SortableTh>
              <Table.Th ta="right">{t('balances.overdue')}</Table.Th>
              <SortableTh field="oldestDueOn" sort={sort} order={order} onSort={onSort}>{t('customers.oldestDue')}</SortableTh>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => {
              const oldest = c.balances.map((b) => b.oldestOpenDueOn).filter(Boolean).sort()[0];
              return (
                <Table.Tr key={c.id} onClick={() => open(c)} style={{ cursor: 'pointer' }} data-testid="customer-row">
                  <Table.Td>{c.code}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${c.id}`} onClick={(e: React.MouseEvent) => e.stopPropagation()} fw={500} size="sm">{c.name}</Anchor>
                  </Table.Td>
                  <Table.Td>{c.segment}</Table.Td>
                  <Table.Td>{collectors.nameOf(c.collectorUserId)}</Table.Td>
                  <Table.Td><Badge color={CUSTOMER_STATUS_COLORS[c.status]} variant="light" style={{ minWidth: 'max-content' }}>{t(`customerStatus.${c.status}`)}</Badge></Table.Td>
                  <Table.Td ta="right"><MoneyLines items={c.balances.map((b) => ({ currency: b.currency, amountMinor: b.openMinor }))} /></Table.Td>
                  <Table.Td ta="right"><MoneyLines color="red" items={c.balances.map((b) => ({ currency: b.currency, amountMinor: b.overdueMinor }))} /></Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{oldest ? formatDate(oldest, i18n.language) : '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {list.isSuccess && rows.length === 0 && <Text c="dimmed" ta="center">{hasFilters ? t('customers.noMatch') : t('customers.empty')}</Text>}
      {list.isPending && <Group justify="center"><Loader /></Group>}
      <Group justify="space-between">
        <Text size="sm" c="dimmed">{rows.length > 0 && t('list.shown', { count: rows.length })}</Text>
        {list.hasNextPage && <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="load-more">{t('list.loadMore')}</Button>}
      </Group>

      <CustomerFormModal opened={creating} onClose={() => setCreating(false)} onSaved={(c) => void navigate({ to: '/customers/$customerId', params: { customerId: c.id } })} />
    </Stack>
  );
}
