import { ActionIcon, Button, Divider, Group, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MAX_CUSTOM_FIELDS, type CustomFieldValue } from './customer';

/** One editable row; `original` keeps an imported number or boolean as it was when its text is left unchanged. */
export type CustomFieldRow = { key: string; value: string; original?: CustomFieldValue };

export const toCustomFieldRows = (fields: Record<string, CustomFieldValue> | undefined): CustomFieldRow[] =>
  Object.entries(fields ?? {}).map(([key, original]) => ({ key, value: original == null ? '' : String(original), original }));

export function fromCustomFieldRows(rows: CustomFieldRow[]): Record<string, CustomFieldValue> {
  return Object.fromEntries(
    rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.original !== undefined && r.original !== null && String(r.original) === r.value ? r.original : r.value]),
  );
}

/** Problems the server would refuse, shown before sending: a value without a name, a name used twice. */
export function customFieldProblems(rows: CustomFieldRow[]): Record<number, string> {
  const seen = new Set<string>();
  const problems: Record<number, string> = {};
  rows.forEach((r, i) => {
    const key = r.key.trim();
    if (!key && r.value.trim()) problems[i] = 'customFields.keyRequired';
    else if (key && seen.has(key)) problems[i] = 'customFields.duplicate';
    seen.add(key);
  });
  return problems;
}

/** Name/value rows, at most MAX_CUSTOM_FIELDS (the API's limit), with the count shown against the limit. */
export function CustomFieldsEditor({ rows, onChange, problems, serverErrors }: {
  rows: CustomFieldRow[]; onChange: (rows: CustomFieldRow[]) => void; problems: Record<number, string>; serverErrors: Record<string, string>;
}) {
  const { t } = useTranslation('ledger');
  const full = rows.length >= MAX_CUSTOM_FIELDS;
  const update = (i: number, patch: Partial<CustomFieldRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const overall = serverErrors.customFields;
  return (
    <Stack gap="xs" data-testid="custom-fields">
      <Group gap="sm" wrap="nowrap">
        <Divider label={t('customFields.title')} labelPosition="left" style={{ flex: 1 }} />
        <Text size="xs" c={full ? 'orange' : 'dimmed'} data-testid="custom-fields-count">{t('customFields.count', { used: rows.length, max: MAX_CUSTOM_FIELDS })}</Text>
      </Group>
      {rows.length === 0 && <Text size="sm" c="dimmed">{t('customFields.empty')}</Text>}
      {rows.map((r, i) => {
        // The server names a value's problem by its key (customFields.<key>).
        const valueError = serverErrors[`customFields.${r.key.trim()}`];
        return (
          <Group key={i} gap="xs" align="flex-start" wrap="nowrap" data-testid="custom-field-row">
            <TextInput
              aria-label={t('customFields.key')}
              placeholder={t('customFields.key')}
              maxLength={50}
              value={r.key}
              onChange={(e) => update(i, { key: e.currentTarget.value })}
              error={problems[i] ? t(problems[i]) : undefined}
              style={{ flex: 2 }}
            />
            <TextInput
              aria-label={t('customFields.value')}
              placeholder={t('customFields.value')}
              maxLength={500}
              value={r.value}
              onChange={(e) => update(i, { value: e.currentTarget.value })}
              error={valueError}
              style={{ flex: 3 }}
            />
            <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('customFields.remove')} title={t('customFields.remove')} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              ×
            </ActionIcon>
          </Group>
        );
      })}
      {overall && <Text size="xs" c="red">{overall}</Text>}
      <Group gap="sm">
        <Button size="xs" variant="light" disabled={full} onClick={() => onChange([...rows, { key: '', value: '' }])} data-testid="add-custom-field">
          {t('customFields.add')}
        </Button>
        {full && <Text size="xs" c="dimmed">{t('customFields.limit', { max: MAX_CUSTOM_FIELDS })}</Text>}
      </Group>
    </Stack>
  );
}
