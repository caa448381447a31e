import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Page } from '../../components/useCursorList';
import { useCan } from '../auth/useCan';

export const CUSTOMER_STATUSES = ['active', 'paused', 'excluded', 'legal', 'closed'] as const;
export const DEBTOR_TYPES = ['business', 'public', 'consumer'] as const;
export const CUSTOMER_STATUS_COLORS: Record<string, string> = { active: 'green', paused: 'yellow', excluded: 'gray', legal: 'red', closed: 'dark' };

/** Per currency, never summed: open invoices, their overdue part, unallocated credits (≤ 0) and the net. */
export type Balance = { currency: string; openMinor: number; overdueMinor: number; unallocatedMinor: number; netMinor: number; oldestOpenDueOn: string | null };

export type Customer = {
  id: string; code: string; name: string; legalId: string | null; vatId: string | null; debtorType: string;
  addressLine1: string | null; addressLine2: string | null; postalCode: string | null; city: string | null; country: string | null;
  language: string | null; currency: string | null; paymentTermsDays: number | null; paymentTermsEndOfMonth: boolean;
  creditLimitMinor: number | null; collectorUserId: string | null; segment: string | null; tags: string[];
  parentCustomerId: string | null; customFields: Record<string, CustomFieldValue>; status: string; createdAt: string; updatedAt: string;
  balances: Balance[];
};

/** Free key/value pairs from the ERP or the user (region, sales rep…); the API accepts at most 12 per customer. */
export type CustomFieldValue = string | number | boolean | null;
export const MAX_CUSTOM_FIELDS = 12;

export type Contact = {
  id: string; customerId: string; title: string | null; firstName: string | null; lastName: string | null; email: string | null;
  phone: string | null; fax: string | null; position: string | null; roles: string[]; language: string | null; isDunningContact: boolean;
};

export type { Page };
type Member = { userId: string; email: string; firstName: string | null; lastName: string | null; isActive: boolean };

export function useCustomer(id: string | null | undefined) {
  return useQuery({ queryKey: ['customer', id], queryFn: () => api<Customer>('GET', `/api/v1/customers/${id}`), enabled: !!id });
}

export const customerLabel = (c: Pick<Customer, 'name' | 'code'>) => `${c.name} (${c.code})`;

/** Customers matching a search (name or code), 20 at a time: the choices of a customer picker. */
export function useCustomerSearch(q: string) {
  return useQuery({
    queryKey: ['customers', 'search', q],
    queryFn: () => api<Page<Customer>>('GET', `/api/v1/customers?${new URLSearchParams({ q, limit: '20', sort: 'name' })}`),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** The accounts whose parent group this customer is. */
export function useChildAccounts(parentId: string) {
  return useQuery({
    queryKey: ['customers', 'children', parentId],
    queryFn: () => api<Page<Customer>>('GET', `/api/v1/customers?${new URLSearchParams({ parentCustomerId: parentId, limit: '100', sort: 'name' })}`),
  });
}

/** Members as collectors (id → name), when the role may list users; otherwise an empty list. */
export function useCollectors() {
  const allowed = useCan('users:read');
  const q = useQuery({ queryKey: ['users'], queryFn: () => api<{ items: Member[] }>('GET', '/api/v1/users'), enabled: allowed, staleTime: 300_000 });
  const options = (q.data?.items ?? []).map((m) => ({ value: m.userId, label: [m.firstName, m.lastName].filter(Boolean).join(' ') || m.email }));
  return { options, nameOf: (id: string | null) => (id ? options.find((o) => o.value === id)?.label ?? '' : '') };
}

/** Segments in use, for suggestions (the reports' filter list; roles without reports type the segment instead). */
export function useSegments(): string[] {
  const allowed = useCan('reports:read');
  const q = useQuery({ queryKey: ['report-filters'], queryFn: () => api<{ segments: string[] }>('GET', '/api/v1/reports/filters'), enabled: allowed, staleTime: 300_000 });
  return q.data?.segments ?? [];
}

export const CURRENCIES = Intl.supportedValuesOf('currency');
