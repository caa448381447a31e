import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

/**
 * Every cached view derived from documents and allocations: lists, a customer's balances, open items and aging, a
 * document's detail, and the reports and dashboard figures. Any ledger write makes them all stale at once, because
 * one allocation moves an invoice's open amount, the customer's balance and the company's aging together.
 */
export const LEDGER_QUERY_KEYS = ['customers', 'documents', 'customer', 'customer-open', 'customer-documents', 'customer-aging', 'document', 'reports'] as const;

export function useRefreshLedger() {
  const qc = useQueryClient();
  return useCallback(async () => {
    await Promise.all(LEDGER_QUERY_KEYS.map((key) => qc.invalidateQueries({ queryKey: [key] })));
  }, [qc]);
}
