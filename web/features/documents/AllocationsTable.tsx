import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { formatDate, formatMoney } from '../../components/format';
import { documentLabel, isClosed, type Allocation, type DocumentDetail } from './document';

/**
 * A document's allocations, oldest first: the date, the document on the other side (opens it), the amount, and
 * whether it was reversed. A reversal is its own negative row, so the history reads like the ledger. Allocations of a
 * cancelled or written-off invoice are not offered for reversal: the API would reopen an amount on an invoice that
 * keeps its closed status, and nothing in the interface could close it again.
 */
export function AllocationsTable({ doc, onSelect, onReverse }: { doc: DocumentDetail; onSelect: (id: string) => void; onReverse?: (a: Allocation) => void }) {
  const { t, i18n } = useTranslation('ledger');
  const otherId = (a: Allocation) => (a.toDocumentId === doc.id ? a.fromDocumentId : a.toDocumentId);
  const otherIds = [...new Set(doc.allocations.map(otherId))];
  // The other documents share the detail's cache entries: opening one of them afterwards is instant.
  const others = useQueries({
    queries: otherIds.map((id) => ({ queryKey: ['document', id], queryFn: () => api<DocumentDetail>('GET', `/api/v1/documents/${id}`) })),
  });
  const byId = new Map(others.flatMap((q) => (q.data ? [[q.data.id, q.data] as const] : [])));
  const reversals = new Map(doc.allocations.filter((a) => a.reversalOfId).map((a) => [a.reversalOfId!, a]));

  if (doc.allocations.length === 0) return <Text size="sm" c="dimmed">{t('allocations.none')}</Text>;
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing={6} data-testid="allocations-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('allocations.date')}</Table.Th>
            <Table.Th>{t('allocations.other')}</Table.Th>
            <Table.Th ta="right">{t('allocations.amount')}</Table.Th>
            <Table.Th>{t('allocations.state')}</Table.Th>
            {onReverse && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {doc.allocations.map((a) => {
            const other = byId.get(otherId(a));
            const reversal = reversals.get(a.id);
            return (
              <Table.Tr key={a.id} data-testid="allocation-row">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(a.allocatedOn, i18n.language)}</Table.Td>
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" onClick={() => onSelect(otherId(a))}>{other ? documentLabel(other, t) : '…'}</Anchor>
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{formatMoney(a.amountMinor, doc.currency, i18n.language)}</Table.Td>
                <Table.Td>
                  {a.reversalOfId ? <Badge variant="light" color="gray" style={{ minWidth: 'max-content' }}>{t('allocations.reversal')}</Badge>
                    : reversal ? <Badge variant="light" color="orange" style={{ minWidth: 'max-content' }}>{t('allocations.reversedOn', { date: formatDate(reversal.allocatedOn, i18n.language) })}</Badge>
                    : <Badge variant="light" color="green" style={{ minWidth: 'max-content' }}>{t('allocations.active')}</Badge>}
                </Table.Td>
                {onReverse && (
                  <Table.Td ta="right">
                    {!a.reversalOfId && !reversal && !isClosed(doc) && !(other && isClosed(other)) && <Button size="xs" variant="subtle" color="orange" onClick={() => onReverse(a)} data-testid="reverse-allocation">{t('reverse.button')}</Button>}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
