import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { customerLabel, useCustomer, useCustomerSearch } from './customer';

/**
 * Picks the parent group among the company's other customers, searched on the server by name or code (a company may
 * have 20,000 customers: they are never all loaded). The customer itself and its own child accounts are left out, so
 * a group can never be its own ancestor one level down.
 */
export function ParentCustomerSelect({ value, onChange, selfId, excludeIds = [], error }: {
  value: string | null; onChange: (id: string | null) => void; selfId?: string; excludeIds?: string[]; error?: string;
}) {
  const { t } = useTranslation('ledger');
  const current = useCustomer(value);
  const currentLabel = current.data ? customerLabel(current.data) : '';
  const [search, setSearch] = useState('');
  // While the box shows the chosen customer's label, the user has not typed a search yet: offer the first customers.
  const [query] = useDebouncedValue(search === currentLabel ? '' : search.trim(), 250);
  const found = useCustomerSearch(query);
  const excluded = new Set([selfId, ...excludeIds]);
  const options = (found.data?.items ?? []).filter((c) => !excluded.has(c.id)).map((c) => ({ value: c.id, label: customerLabel(c) }));
  if (value && current.data && !options.some((o) => o.value === value)) options.unshift({ value, label: currentLabel });

  return (
    <Select
      label={t('parent.label')}
      description={t('parent.help')}
      // Below the box, so that it lines up with its neighbour in the form's grid.
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      placeholder={t('parent.placeholder')}
      searchable
      clearable
      data={options}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      // Matching is the server's (name or code): its answer is shown as it is, not filtered again on the label.
      filter={({ options: all }) => all}
      nothingFoundMessage={found.isFetching ? t('parent.searching') : t('parent.nothingFound')}
      error={error}
      data-testid="parent-select"
    />
  );
}
