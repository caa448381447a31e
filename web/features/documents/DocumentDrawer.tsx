import { Alert, Anchor, Badge, Button, Center, Drawer, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ConfirmButton } from '../../components/ConfirmButton';
import { formatDate, formatMoney } from '../../components/format';
import { useApiForm } from '../../components/useApiForm';
import { useCompanyToday } from '../../components/useCompanyToday';
import { useCan } from '../auth/useCan';
import { customerLabel, useCustomer } from '../customers/customer';
import { AllocationsTable } from './AllocationsTable';
import { canClose, documentLabel, isClosed, pdfHref, type Allocation, type DocumentDetail } from './document';
import { CloseInvoiceModal, ReverseAllocationModal, type CloseAction } from './DocumentActionModals';
import { InstalmentsTable } from './InstalmentsPanel';
import { DocumentStatus } from './DocumentTable';
import { useRefreshLedger } from './ledgerCache';

/**
 * One document in a side drawer, over the list it was opened from: its amounts and dates, its allocations (each
 * reversible), and the actions the ledger allows on it. Every action refreshes all ledger views (useRefreshLedger).
 */
export function DocumentDrawer({ documentId, onClose, onSelect }: { documentId: string | null; onClose: () => void; onSelect: (id: string) => void }) {
  const { t } = useTranslation('ledger');
  const detail = useQuery({ queryKey: ['document', documentId], queryFn: () => api<DocumentDetail>('GET', `/api/v1/documents/${documentId}`), enabled: !!documentId });
  const doc = detail.data?.id === documentId ? detail.data : undefined;
  return (
    <Drawer opened={!!documentId} onClose={onClose} position="right" size="xl" title={doc ? <Title order={3} component="span">{documentLabel(doc, t)}</Title> : ' '} data-testid="document-drawer">
      {doc ? <DocumentView doc={doc} onClose={onClose} onSelect={onSelect} />
        : detail.isError ? <Alert color="red">{detail.error.message}</Alert>
        : <Center p="xl"><Loader /></Center>}
    </Drawer>
  );
}

function DocumentView({ doc, onClose, onSelect }: { doc: DocumentDetail; onClose: () => void; onSelect: (id: string) => void }) {
  const { t, i18n } = useTranslation('ledger');
  const today = useCompanyToday();
  const canWrite = useCan('ledger:write');
  const refresh = useRefreshLedger();
  const customer = useCustomer(doc.customerId);
  const remove = useApiForm();
  const [reversing, setReversing] = useState<Allocation | null>(null);
  const [closing, setClosing] = useState<CloseAction | null>(null);
  const money = (minor: number) => formatMoney(minor, doc.currency, i18n.language);
  const pdf = pdfHref(doc);

  const facts: [string, ReactNode][] = [
    [t('documents.customer'), customer.data && <Anchor component={Link} to={`/customers/${doc.customerId}`} size="sm" onClick={onClose}>{customerLabel(customer.data)}</Anchor>],
    [t('documents.status'), <DocumentStatus doc={doc} today={today} />],
    [t('documents.amount'), <Text size="sm" fw={500} data-testid="document-amount">{money(doc.amountMinor)}</Text>],
    [t('documents.open'), <Text size="sm" fw={500} c={doc.openMinor === 0 ? 'dimmed' : undefined} data-testid="document-open">{money(doc.openMinor)}</Text>],
    [t('documents.issuedOn'), formatDate(doc.issuedOn, i18n.language)],
    [t('documents.dueOn'), doc.dueOn && (
      <Group gap={6}>
        <Text size="sm">{formatDate(doc.dueOn, i18n.language)}</Text>
        {doc.isDueOnDerived && <Badge size="sm" variant="outline" color="gray" data-testid="due-derived">{t('documentDetail.derived')}</Badge>}
      </Group>
    )],
    [t('documents.reference'), doc.reference],
    [t('documentDetail.pdf'), pdf && <Anchor href={pdf} target="_blank" rel="noopener noreferrer" size="sm" data-testid="document-pdf">{t('documentDetail.openPdf')}</Anchor>],
  ];

  return (
    <Stack data-testid="document-detail">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
        {facts.filter(([, v]) => v).map(([label, value]) => (
          <Stack key={label} gap={0}>
            <Text size="xs" c="dimmed">{label}</Text>
            {typeof value === 'string' ? <Text size="sm">{value}</Text> : value}
          </Stack>
        ))}
      </SimpleGrid>
      {doc.isDueOnDerived && <Text size="xs" c="dimmed">{t('documents.dueOnDerived')}</Text>}
      {isClosed(doc) && <Alert color="gray" data-testid="closed-notice">{t(`documentDetail.${doc.status === 'cancelled' ? 'cancelledNotice' : 'writtenOffNotice'}`)}</Alert>}

      {canWrite && (
        <Group gap="xs">
          {canClose(doc) && <Button size="xs" variant="default" onClick={() => setClosing('cancelled')} data-testid="cancel-invoice">{t('closeInvoice.cancel')}</Button>}
          {canClose(doc) && <Button size="xs" variant="default" color="red" onClick={() => setClosing('written_off')} data-testid="write-off">{t('closeInvoice.writeOff')}</Button>}
          <ConfirmButton
            size="xs"
            question={t('documentDetail.confirmDelete')}
            data-testid="delete-document"
            onConfirm={() => remove.run(async () => { await api('DELETE', `/api/v1/documents/${doc.id}`); onClose(); await refresh(); })}
          >
            {t('app:common.delete')}
          </ConfirmButton>
        </Group>
      )}
      <ApiErrorAlert error={remove.error} fields={remove.fields} />

      {doc.instalments && doc.instalments.length > 1 && <InstalmentsTable lines={doc.instalments} currentId={doc.id} today={today} onSelect={onSelect} />}

      <Text fw={600} mt="sm">{t('allocations.title')}</Text>
      <AllocationsTable doc={doc} onSelect={onSelect} onReverse={canWrite ? setReversing : undefined} />

      <ReverseAllocationModal allocation={reversing} currency={doc.currency} today={today} onClose={() => setReversing(null)} onDone={refresh} />
      <CloseInvoiceModal invoice={doc} action={closing} onClose={() => setClosing(null)} onDone={refresh} openMinor={(doc.instalments ?? [doc]).reduce((sum, l) => sum + l.openMinor, 0)} />
    </Stack>
  );
}
