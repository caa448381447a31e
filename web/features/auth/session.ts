import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type SessionInfo } from '../../api/client';
import { rememberLanguage } from '../../i18n';
import { isLanguage } from '../../../common/languages';

export const SESSION_KEY = ['session'];

/** The logged-in session, or null when logged out (401). */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      try {
        const s = await api<SessionInfo>('GET', '/api/v1/auth/session');
        if (s.user.language && isLanguage(s.user.language)) rememberLanguage(s.user.language);
        return s;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function useSetSession() {
  const qc = useQueryClient();
  return (s: SessionInfo | null) => {
    qc.clear();
    qc.setQueryData(SESSION_KEY, s);
  };
}
