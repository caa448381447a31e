import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** Runs a submit, keeps the server's translated message and per-field messages for the form to show. */
export function useApiForm() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await fn();
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.message);
        setFields(e.fields);
      } else setError(t('common.error'));
    } finally {
      setBusy(false);
    }
  }
  return { error, fields, busy, run };
}
