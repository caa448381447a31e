import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, LANGUAGE_NAMES } from '../../../common/languages';
import { api } from '../../api/client';
import { useApiForm } from '../../components/useApiForm';

type CompanyForm = {
  name: string; legalId: string | null; vatId: string | null; addressLine1: string | null; addressLine2: string | null;
  postalCode: string | null; city: string | null; country: string | null; timeZone: string; defaultLanguage: string;
  baseCurrency: string; paymentTermsDays: number;
};
const TEXT_FIELDS = ['legalId', 'vatId', 'addressLine1', 'addressLine2', 'postalCode', 'city', 'country'] as const;
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone')];
const CURRENCIES = Intl.supportedValuesOf('currency');

export function CompanySettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const company = useQuery({ queryKey: ['company'], queryFn: () => api<CompanyForm & { id: string }>('GET', '/api/v1/company') });
  const [v, setV] = useState<CompanyForm | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useApiForm();
  useEffect(() => {
    if (company.data) setV(company.data);
  }, [company.data]);
  if (!v) return null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void form.run(async () => {
          const body = { ...v, ...Object.fromEntries(TEXT_FIELDS.map((k) => [k, v[k] ? v[k] : null])) };
          delete (body as { id?: string }).id;
          delete (body as { slug?: string }).slug;
          qc.setQueryData(['company'], await api('PATCH', '/api/v1/company', body));
          await qc.invalidateQueries({ queryKey: ['session'] });
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
        <Group><Button type="submit" loading={form.busy}>{t('common.save')}</Button></Group>
      </Stack>
    </form>
  );
}
