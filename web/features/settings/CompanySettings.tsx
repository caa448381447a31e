import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, LANGUAGE_NAMES } from '../../../common/languages';
import { api } from '../../api/client';
import { useApiForm } from '../../components/useApiForm';
import type { AgingBucketShape } from '../../../common/aging-buckets';
import { AgingBucketsEditor, boundErrors, bucketsToSend, draftFrom, type BucketsDraft } from './AgingBucketsEditor';

type CompanyForm = {
  name: string; legalId: string | null; vatId: string | null; addressLine1: string | null; addressLine2: string | null;
  postalCode: string | null; city: string | null; country: string | null; timeZone: string; defaultLanguage: string;
  baseCurrency: string; paymentTermsDays: number;
};
type CompanyView = CompanyForm & { id: string; agingBuckets: AgingBucketShape[]; agingBucketsAreDefault: boolean };

const TEXT_FIELDS = ['legalId', 'vatId', 'addressLine1', 'addressLine2', 'postalCode', 'city', 'country'] as const;
/** What the form sends back: GET /company has more (id, slug, the effective buckets) that PATCH does not take. */
const FORM_FIELDS = ['name', ...TEXT_FIELDS, 'timeZone', 'defaultLanguage', 'baseCurrency', 'paymentTermsDays'] as const;
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone')];
const CURRENCIES = Intl.supportedValuesOf('currency');

export function CompanySettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const company = useQuery({ queryKey: ['company'], queryFn: () => api<CompanyView>('GET', '/api/v1/company') });
  const [v, setV] = useState<CompanyForm | null>(null);
  const [buckets, setBuckets] = useState<(BucketsDraft & { customNames: boolean }) | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useApiForm();
  useEffect(() => {
    if (company.data) {
      setV(company.data);
      setBuckets(draftFrom(company.data.agingBuckets));
    }
  }, [company.data]);
  if (!v || !buckets || !company.data) return null;
  const bucketsInvalid = buckets.touched && boundErrors(buckets.bounds, t).some(Boolean);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        if (bucketsInvalid) return;
        void form.run(async () => {
          const body: Record<string, unknown> = { ...Object.fromEntries(FORM_FIELDS.map((k) => [k, v[k]])), ...Object.fromEntries(TEXT_FIELDS.map((k) => [k, v[k] ? v[k] : null])) };
          // Untouched buckets are not sent: names given through the API stay as they are.
          if (buckets.touched) body.agingBuckets = bucketsToSend(buckets);
          qc.setQueryData(['company'], await api('PATCH', '/api/v1/company', body));
          await qc.invalidateQueries({ queryKey: ['session'] });
          // The reports group by the new buckets from now on.
          await qc.invalidateQueries({ queryKey: ['reports'] });
          setSaved(true);
        });
      }}
    >
      <Stack maw={760}>
        {form.error && <Alert color="red">{form.error}</Alert>}
        {saved && <Alert color="green">{t('common.saved')}</Alert>}
        <TextInput label={t('auth.companyName')} required value={v.name} onChange={(e) => setV({ ...v, name: e.currentTarget.value })} error={form.fields.name} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {TEXT_FIELDS.map((k) => (
            <TextInput key={k} label={t(`settings.company.${k}`)} value={v[k] ?? ''} onChange={(e) => setV({ ...v, [k]: e.currentTarget.value })} error={form.fields[k]} />
          ))}
          <Select searchable label={t('settings.company.timeZone')} data={TIME_ZONES} value={v.timeZone} onChange={(x) => x && setV({ ...v, timeZone: x })} error={form.fields.timeZone} />
          <Select label={t('settings.company.defaultLanguage')} data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))} value={v.defaultLanguage} onChange={(x) => x && setV({ ...v, defaultLanguage: x })} />
          <Select searchable label={t('settings.company.baseCurrency')} data={CURRENCIES} value={v.baseCurrency} onChange={(x) => x && setV({ ...v, baseCurrency: x })} error={form.fields.baseCurrency} />
          <NumberInput label={t('settings.company.paymentTermsDays')} min={0} max={365} value={v.paymentTermsDays} onChange={(x) => setV({ ...v, paymentTermsDays: Number(x) || 0 })} error={form.fields.paymentTermsDays} />
        </SimpleGrid>
        <AgingBucketsEditor draft={buckets} onChange={(d) => setBuckets({ ...buckets, ...d })} isDefault={company.data.agingBucketsAreDefault} customNames={buckets.customNames} serverErrors={form.fields} />
        <Group><Button type="submit" loading={form.busy} disabled={bucketsInvalid} data-testid="company-save">{t('common.save')}</Button></Group>
      </Stack>
    </form>
  );
}
