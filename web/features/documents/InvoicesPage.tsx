import { Button, Card, Group, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OverdueFilter } from '../../components/OverdueFilter';
import { useCursorList } from '../../components/useCursorList';
import { DebouncedAutocomplete, DebouncedTextInput } from '../../components/DebouncedInput';
import { ExportButtons } from '../../components/ExportButtons';
import { useCompanyToday } from '../../components/useCompanyToday';
import { useSearchState } from '../../components/useSearchState';
import { useCan } from '../auth/useCan';
import { CURRENCIES, useCollectors, useSegments } from '../customers/customer';
import { CREDIT_STATUSES, DOCUMENT_TYPES, INVOICE_STATUSES, type LedgerDocument } from './document';
import { DocumentDrawer } from './DocumentDrawer';
import { DocumentTable } from './DocumentTable';

/** `type` absent means invoices (the page's name); "all" lifts the type filter. */
type DocumentSearch = { type?: string; status?: string; currency?: string; overdue?: string; collectorId?: string; segment?: string; q?: string; sort?: string; order?: string };
const FILTERS = ['status', 'currency', 'overdue', 'collectorId', 'segment', 'q'] as const;

export function documentQuery(s: DocumentSearch): URLSearchParams {
  const p = new URLSearchParams();
  const type = s.type ?? 'invoice';
  if (type !== 'all') p.set('type', type);
  for (const k of FILTERS) if (s[k]) p.set(k, s[k]!);
  p.set('sort', s.sort ?? 'dueOn');
  p.set('order', s.order ?? 'asc');
  return p;
}

export function InvoicesPage() {
  const { t } = useTranslation('ledger');
  const [documentId, setDocumentId] = useState<string | null>(null);
  const today = useCompanyToday();
  const [search, setSearch] = useSearchState<DocumentSearch>();
  const canExport = useCan('exports:run');
  const collectors = useCollectors();
  const segments = useSegments();
  const params = documentQuery(search);
  const type = search.type ?? 'invoice';
  const statuses = type === 'invoice' ? INVOICE_STATUSES : type === 'all' ? [...INVOICE_STATUSES, ...CREDIT_STATUSES] : CREDIT_STATUSES;

  const { list, rows } = useCursorList<LedgerDocument>('documents', params);
  const hasFilters = FILTERS.some((k) => search[k]) || type !== 'invoice';

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('documents.title')}</Title>
        {canExport && <ExportButtons base="/api/v1/exports/documents" params={params} />}
      </Group>
      <Card withBorder p="sm">
        <Group align="flex-end" gap="sm">
          <DebouncedTextInput label={t('filters.search')} placeholder={t('documents.searchPlaceholder')} value={search.q ?? ''} onChange={(q) => setSearch({ q })} w={240} data-testid="document-search" />
          <Select
            label={t('documents.type')}
            allowDeselect={false}
            data={[...DOCUMENT_TYPES.map((x) => ({ value: x, label: t(`documentType.${x}`) })), { value: 'all', label: t('filters.allTypes') }]}
            value={type}
            onChange={(v) => setSearch({ type: v === 'invoice' ? undefined : v ?? undefined, status: undefined })}
            w={160}
            data-testid="type-filter"
          />
          <Select label={t('filters.status')} placeholder={t('filters.all')} clearable data={statuses.map((s) => ({ value: s, label: t(`documentStatus.${s}`) }))} value={search.status ?? null} onChange={(v) => setSearch({ status: v ?? undefined })} w={170} />
          <Select label={t('filters.currency')} placeholder={t('filters.all')} clearable searchable data={CURRENCIES} value={search.currency ?? null} onChange={(v) => setSearch({ currency: v ?? undefined })} w={110} />
          <OverdueFilter value={search.overdue} onChange={(overdue) => setSearch({ overdue })} w={160} />
          {collectors.options.length > 0 && (
            <Select label={t('filters.collector')} placeholder={t('filters.all')} clearable searchable data={collectors.options} value={search.collectorId ?? null} onChange={(v) => setSearch({ collectorId: v ?? undefined })} w={170} />
          )}
          <DebouncedAutocomplete label={t('filters.segment')} placeholder={t('filters.all')} data={segments} value={search.segment ?? ''} onChange={(segment) => setSearch({ segment })} w={150} />
          {hasFilters && <Button variant="subtle" onClick={() => setSearch({ type: undefined, ...Object.fromEntries(FILTERS.map((k) => [k, undefined])) })}>{t('filters.clear')}</Button>}
          {list.isFetching && <Loader size="sm" />}
        </Group>
      </Card>

      <DocumentTable
        rows={rows}
        today={today}
        showCustomer
        testId="document-table"
        sorting={{ sort: search.sort ?? 'dueOn', order: (search.order ?? 'asc') as 'asc' | 'desc', onSort: (sort, order) => setSearch({ sort, order }) }}
        onRowClick={(d) => setDocumentId(d.id)}
      />
      {list.isSuccess && rows.length === 0 && <Text c="dimmed" ta="center">{t('documents.empty')}</Text>}
      {list.isPending && <Group justify="center"><Loader /></Group>}
      <Group justify="space-between">
        <Text size="sm" c="dimmed">{rows.length > 0 && t('list.shown', { count: rows.length })}</Text>
        {list.hasNextPage && <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="load-more">{t('list.loadMore')}</Button>}
      </Group>
      <DocumentDrawer documentId={documentId} onClose={() => setDocumentId(null)} onSelect={setDocumentId} />
    </Stack>
  );
}
