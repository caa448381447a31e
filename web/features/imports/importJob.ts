import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, apiUpload } from '../../api/client';
import { LEDGER_QUERY_KEYS } from '../documents/ledgerCache';

/** CONTRACTS.md "Import fields", in the order the mapping table lists them. */
export const IMPORT_FIELDS = [
  'customerCode', 'customerName', 'customerLanguage', 'customerCurrency', 'contactEmail', 'contactFirstName', 'contactLastName', 'contactPhone',
  'documentType', 'number', 'issuedOn', 'dueOn', 'currency', 'amount', 'openAmount', 'appliesTo', 'paidOn', 'reference',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_FIELDS: readonly ImportField[] = ['customerCode', 'documentType', 'issuedOn', 'currency', 'amount'];

export type ImportOptions = { mode: 'delta' | 'snapshot'; source: string; mapping?: Partial<Record<ImportField, string>>; sheet?: string; dryRun: boolean; skipInvalid: boolean };
export type RowError = { row: number; column: string; header: string; value: string; message: string };
export type ImportSummary = {
  created: number; updated: number; unchanged: number; closed: number; rejected: number; customers: { created: number; updated: number };
  errors?: RowError[]; errorCount: number; isWritten: boolean; rowsTotal: number; headers: string[]; mapping: Partial<Record<ImportField, string>>;
  formats: { decimalSeparator: string; dateOrder: string; delimiter?: string; encoding?: string; sheet?: string; sheets?: string[] };
  fileError?: { code: string; message: string };
};
export type ImportJob = {
  id: string; status: 'queued' | 'running' | 'succeeded' | 'failed'; progress: { rowsDone: number; rowsTotal: number }; summary: ImportSummary | null;
  fileName: string; source: string; mode: 'delta' | 'snapshot'; isDryRun: boolean; options: Partial<ImportOptions>; createdBy: string | null; createdAt: string; finishedAt: string | null;
};

export const isFinished = (j: ImportJob | undefined) => j?.status === 'succeeded' || j?.status === 'failed';

/** Uploads a file: `options` goes first in the form, as the server reads it before the file streams in. */
export function uploadImport(file: File, options: ImportOptions) {
  const form = new FormData();
  form.append('options', JSON.stringify(options));
  form.append('file', file, file.name);
  return apiUpload<{ id: string; status: string }>('/api/v1/imports', form);
}

export function rerunImport(id: string, options: ImportOptions) {
  return api<{ id: string; status: string }>('POST', `/api/v1/imports/${id}/run`, options);
}

/** An import, polled every 500 ms until it has finished; a finished real import refreshes the ledger's lists. */
export function useImportJob(id: string | undefined) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['import', id],
    queryFn: () => api<ImportJob>('GET', `/api/v1/imports/${id}`),
    enabled: !!id,
    refetchInterval: (query) => (isFinished(query.state.data) ? false : 500),
  });
  const finished = isFinished(q.data);
  useEffect(() => {
    if (!finished) return;
    void qc.invalidateQueries({ queryKey: ['imports'] });
    if (q.data && !q.data.isDryRun) for (const key of LEDGER_QUERY_KEYS) void qc.invalidateQueries({ queryKey: [key] });
  }, [finished, q.data, qc]);
  return q;
}
