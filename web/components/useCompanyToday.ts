import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { todayIn } from './format';

type CompanyInfo = { id: string; timeZone: string; baseCurrency: string; defaultLanguage: string };

/** The company (time zone, base currency); shared with the settings page under the same query key. */
export function useCompany() {
  return useQuery({ queryKey: ['company'], queryFn: () => api<CompanyInfo>('GET', '/api/v1/company'), staleTime: 300_000 });
}

/** Today in the company's time zone: what "overdue" and the aging buckets are counted from. */
export function useCompanyToday(): string {
  return todayIn(useCompany().data?.timeZone);
}
