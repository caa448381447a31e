import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../components/format';
import { documentLabel, type Allocation, type LedgerDocument } from './document';

/**
 * What "Auto-allocate" did, allocation by allocation, named with the documents as they were before it ran (every
 * credit and invoice it may touch was open then); or why nothing happened.
 */
export function AutoAllocateNotice({ made, before, onClose }: { made: Allocation[]; before: LedgerDocument[]; onClose: () => void }) {
  const { t, i18n } = useTranslation('ledger');
  const byId = new Map(before.map((d) => [d.id, d]));
  const label = (id: string) => { const d = byId.get(id); return d ? documentLabel(d, t) : '—'; };
  if (made.length === 0) {
    return <Alert color="yellow" withCloseButton onClose={onClose} title={t('allocate.autoNothing')} data-testid="auto-allocate-result">{t('autoAllocate.rule')}</Alert>;
  }
  return (
    <Alert color="blue" withCloseButton onClose={onClose} title={t('allocate.autoDone', { count: made.length })} data-testid="auto-allocate-result">
      <List size="sm">
        {made.map((a) => {
          const currency = byId.get(a.toDocumentId)?.currency ?? byId.get(a.fromDocumentId)?.currency ?? 'EUR';
          return <List.Item key={a.id}>{t('autoAllocate.line', { from: label(a.fromDocumentId), to: label(a.toDocumentId), amount: formatMoney(a.amountMinor, currency, i18n.language) })}</List.Item>;
        })}
      </List>
    </Alert>
  );
}
