import { Alert, Anchor, Badge, Button, Card, Center, Grid, Group, Loader, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ConfirmButton } from '../../components/ConfirmButton';
import { formatMoney } from '../../components/format';
import { useCompany, useCompanyToday } from '../../components/useCompanyToday';
import { useApiForm } from '../../components/useApiForm';
import { useCan } from '../auth/useCan';
import { AllocateModal } from '../documents/AllocateModal';
import { AutoAllocateNotice } from '../documents/AutoAllocateNotice';
import { isCredit, type Allocation, type LedgerDocument } from '../documents/document';
import { DocumentDrawer } from '../documents/DocumentDrawer';
import { DocumentFormModal } from '../documents/DocumentFormModal';
import { DocumentTable } from '../documents/DocumentTable';
import { useRefreshLedger } from '../documents/ledgerCache';
import { AgingChart } from './AgingChart';
import type { Aging } from '../reports/reportsApi';
import { ContactsPanel } from './ContactsPanel';
import { CUSTOMER_STATUS_COLORS, useChildAccounts, useCollectors, useCustomer, type Customer, type Page } from './customer';
import { CustomerDetails } from './CustomerDetails';
import { CustomerFormModal } from './CustomerFormModal';

/** Every open item of the customer (all pages): the open items table, the aging chart and the allocation choices. */
async function fetchOpenItems(customerId: string): Promise<LedgerDocument[]> {
  const items: LedgerDocument[] = [];
  let cursor: string | null = '';
  for (let i = 0; i < 40 && cursor !== null; i++) {
    const p = new URLSearchParams({ customerId, isOpen: 'true', sort: 'dueOn', order: 'asc', limit: '500' });
    if (cursor) p.set('cursor', cursor);
    const page: Page<LedgerDocument> = await api<Page<LedgerDocument>>('GET', `/api/v1/documents?${p}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  }
  return items;
}

export function CustomerPage() {
  const { customerId } = useParams({ strict: false }) as { customerId: string };
  const { t } = useTranslation('ledger');
  const customer = useCustomer(customerId);
  if (customer.isPending) return <Center p="xl"><Loader /></Center>;
  if (!customer.data) return <Alert color="red">{customer.error?.message ?? t('app:common.error')}</Alert>;
  return <CustomerView customer={customer.data} />;
}

function CustomerView({ customer }: { customer: Customer }) {
  const { t, i18n } = useTranslation('ledger');
  const navigate = useNavigate();
  const today = useCompanyToday();
  const baseCurrency = useCompany().data?.baseCurrency ?? 'EUR';
  const canWrite = useCan('ledger:write');
  const collectors = useCollectors();
  const action = useApiForm();
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [allocating, setAllocating] = useState<LedgerDocument | null>(null);
  const [autoResult, setAutoResult] = useState<{ made: Allocation[]; before: LedgerDocument[] } | null>(null);
  const [documentId, setDocumentId] = useState<string | null>(null);
  const id = customer.id;
  const refresh = useRefreshLedger();
  const childIds = (useChildAccounts(id).data?.items ?? []).map((c) => c.id);

  const openItems = useQuery({ queryKey: ['customer-open', id], queryFn: () => fetchOpenItems(id) });
  const allDocs = useInfiniteQuery({
    queryKey: ['customer-documents', id],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams({ customerId: id, sort: 'issuedOn', order: 'desc', limit: '50' });
      if (pageParam) p.set('cursor', pageParam);
      return api<Page<LedgerDocument>>('GET', `/api/v1/documents?${p}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const open = openItems.data ?? [];
  const hasCredits = open.some(isCredit);
  const aging = useQuery({ queryKey: ['customer-aging', id], queryFn: () => api<Aging>('GET', `/api/v1/customers/${id}/aging`) });
  const money = (minor: number, currency: string) => formatMoney(minor, currency, i18n.language);

  const autoAllocate = () => action.run(async () => {
    setAutoResult(null);
    const made = await api<Page<Allocation>>('POST', `/api/v1/customers/${id}/auto-allocate`);
    setAutoResult({ made: made.items, before: open });
    await refresh();
  });

  return (
    <Stack>
      <Anchor component={Link} to="/customers" size="sm">← {t('customers.title')}</Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Group gap="sm">
            <Title order={2} data-testid="customer-name">{customer.name}</Title>
            <Badge color={CUSTOMER_STATUS_COLORS[customer.status]} variant="light" size="lg">{t(`customerStatus.${customer.status}`)}</Badge>
          </Group>
          <Text c="dimmed">{[customer.code, customer.segment, collectors.nameOf(customer.collectorUserId)].filter(Boolean).join(' · ')}</Text>
        </Stack>
        {canWrite && (
          <Group gap="xs">
            <Button variant="default" onClick={() => setEditing(true)} data-testid="edit-customer">{t('actions.edit')}</Button>
            <Button variant="default" onClick={() => setAdding(true)} data-testid="add-document">{t('documents.add')}</Button>
            <Button variant="light" onClick={() => void autoAllocate()} loading={action.busy} disabled={!hasCredits} data-testid="auto-allocate">{t('allocate.auto')}</Button>
            <ConfirmButton size="sm" question={t('customer.confirmDelete')} onConfirm={() => action.run(async () => { await api('DELETE', `/api/v1/customers/${id}`); await navigate({ to: '/customers' }); await refresh(); })}>
              {t('app:common.delete')}
            </ConfirmButton>
          </Group>
        )}
      </Group>
      <ApiErrorAlert error={action.error} fields={action.fields} />
      {autoResult && <AutoAllocateNotice {...autoResult} onClose={() => setAutoResult(null)} />}

      <Grid>
        <Grid.Col span={{ base: 12, md: 6, lg: 4 }}>
          <Card withBorder h="100%">
            <Text fw={600} mb="xs">{t('customer.balances')}</Text>
            {customer.balances.length === 0 ? <Text c="dimmed" size="sm">{t('customer.nothingOpen')}</Text> : (
              <Table data-testid="customer-balances" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr><Table.Th /><Table.Th ta="right">{t('balances.open')}</Table.Th><Table.Th ta="right">{t('balances.overdue')}</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {customer.balances.map((b) => (
                    <Table.Tr key={b.currency}>
                      <Table.Td fw={500}>{b.currency}</Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{money(b.openMinor, b.currency)}</Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }} c={b.overdueMinor > 0 ? 'red' : 'dimmed'}>{money(b.overdueMinor, b.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {customer.balances.filter((b) => b.unallocatedMinor !== 0).map((b) => (
              <Stack key={b.currency} gap={2} mt="xs" data-testid="customer-unallocated">
                <Group justify="space-between"><Text size="sm">{t('balances.unallocated')} ({b.currency})</Text><Text size="sm" c="orange" fw={500}>{money(b.unallocatedMinor, b.currency)}</Text></Group>
                <Group justify="space-between"><Text size="sm">{t('balances.net')} ({b.currency})</Text><Text size="sm" fw={500}>{money(b.netMinor, b.currency)}</Text></Group>
              </Stack>
            ))}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6, lg: 5 }}>
          <Card withBorder h="100%">
            <Text fw={600} mb="xs">{t('customer.aging')}</Text>
            {aging.data ? <AgingChart aging={aging.data} /> : <Loader size="sm" />}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 3 }}>
          <Card withBorder h="100%">
            <Text fw={600} mb="xs">{t('customer.details')}</Text>
            <CustomerDetails customer={customer} baseCurrency={baseCurrency} />
          </Card>
        </Grid.Col>
      </Grid>

      <Tabs defaultValue="open" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="open">{t('customer.openItems')} ({open.length})</Tabs.Tab>
          <Tabs.Tab value="all">{t('customer.allDocuments')}</Tabs.Tab>
          <Tabs.Tab value="contacts">{t('customer.contacts')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="open" pt="sm">
          {openItems.isSuccess && open.length === 0 ? <Text c="dimmed" size="sm">{t('customer.nothingOpen')}</Text> : (
            <DocumentTable
              rows={open}
              today={today}
              testId="open-items"
              onRowClick={(d) => setDocumentId(d.id)}
              actions={canWrite ? (d) => isCredit(d) && <Button size="xs" variant="light" onClick={() => setAllocating(d)} data-testid="allocate">{t('allocate.button')}</Button> : undefined}
            />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="all" pt="sm">
          <DocumentTable rows={allDocs.data?.pages.flatMap((p) => p.items) ?? []} today={today} testId="all-documents" onRowClick={(d) => setDocumentId(d.id)} />
          {allDocs.hasNextPage && <Group justify="center" mt="sm"><Button variant="light" onClick={() => void allDocs.fetchNextPage()} loading={allDocs.isFetchingNextPage}>{t('list.loadMore')}</Button></Group>}
        </Tabs.Panel>
        <Tabs.Panel value="contacts" pt="sm"><ContactsPanel customerId={id} canWrite={canWrite} /></Tabs.Panel>
      </Tabs>

      <CustomerFormModal opened={editing} onClose={() => setEditing(false)} customer={customer} childIds={childIds} onSaved={() => void refresh()} />
      <DocumentFormModal opened={adding} onClose={() => setAdding(false)} customerId={id} defaultCurrency={customer.currency ?? baseCurrency} today={today} openInvoices={open} onSaved={refresh} />
      <AllocateModal credit={allocating} invoices={open} today={today} onClose={() => setAllocating(null)} onDone={refresh} />
      <DocumentDrawer documentId={documentId} onClose={() => setDocumentId(null)} onSelect={setDocumentId} />
    </Stack>
  );
}
