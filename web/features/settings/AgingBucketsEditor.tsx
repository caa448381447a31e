import { ActionIcon, Alert, Badge, Button, Card, Group, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { bucketsFromUpperBounds, MAX_AGING_BUCKETS, MAX_BUCKET_DAYS, upperBoundsOf, type AgingBucketShape } from '../../../common/aging-buckets';
import { bucketColors, labelOfBucket } from '../reports/agingBuckets';

/** The shipped overdue buckets end on days 30, 60 and 90 (CONTRACTS.md). */
export const DEFAULT_UPPER_BOUNDS = [30, 60, 90];

/**
 * The editor's state: the last day of each overdue bucket ('' while being typed), and whether the user changed
 * anything (an untouched editor sends nothing, so that buckets named through the API keep their names).
 */
export type BucketsDraft = { bounds: (number | '')[]; touched: boolean };

export function draftFrom(buckets: readonly AgingBucketShape[]): BucketsDraft & { customNames: boolean } {
  const bounds = upperBoundsOf(buckets);
  if (bounds) return { bounds, touched: false, customNames: false };
  // Buckets set through the API with names of their own: edit their overdue bounds; saving renames them.
  const overdue = buckets.filter((b) => b.fromDays !== null && b.fromDays > 0 && b.toDays !== null).map((b) => b.toDays as number);
  return { bounds: overdue, touched: false, customNames: true };
}

/** Per-row problems (translated), so that nothing invalid is sent; the server checks again and names the field. */
export function boundErrors(bounds: readonly (number | '')[], t: (k: string, o?: Record<string, unknown>) => string): (string | undefined)[] {
  return bounds.map((b, i) => {
    const previous = i === 0 ? 0 : bounds[i - 1];
    if (b === '' || !Number.isInteger(b)) return t('settings.company.aging.required');
    if (b > MAX_BUCKET_DAYS) return t('settings.company.aging.tooHigh', { max: MAX_BUCKET_DAYS });
    if (typeof previous === 'number' && b <= previous) return t('settings.company.aging.tooLow', { min: previous });
    return undefined;
  });
}

/** What PATCH /company receives: null for the defaults (the company then follows them), else the generated buckets. */
export function bucketsToSend(draft: BucketsDraft): AgingBucketShape[] | null {
  const bounds = draft.bounds.filter((b): b is number => b !== '');
  const same = bounds.length === DEFAULT_UPPER_BOUNDS.length && bounds.every((b, i) => b === DEFAULT_UPPER_BOUNDS[i]);
  return same ? null : bucketsFromUpperBounds(bounds);
}

type Props = {
  draft: BucketsDraft;
  onChange: (d: BucketsDraft) => void;
  isDefault: boolean;
  customNames: boolean;
  /** The server's messages by field path (agingBuckets.<index>.<field>). */
  serverErrors: Record<string, string>;
};

/**
 * Aging buckets as a credit manager thinks of them: "chase at 15, 30, 60 and 90 days". Each row is an overdue bucket
 * (its first day follows from the row above); the first bucket (not yet due) and the last (beyond) are fixed.
 */
export function AgingBucketsEditor({ draft, onChange, isDefault, customNames, serverErrors }: Props) {
  const { t } = useTranslation();
  const { t: tr } = useTranslation('reports');
  const errors = boundErrors(draft.bounds, t);
  const set = (bounds: (number | '')[]) => onChange({ bounds, touched: true });
  const numeric = draft.bounds.map((b) => (b === '' ? 0 : b));
  const preview = errors.some(Boolean) ? undefined : bucketsFromUpperBounds(numeric);
  const colors = preview ? bucketColors(preview) : {};
  const full = draft.bounds.length >= MAX_AGING_BUCKETS - 2;
  const last = numeric.length ? numeric[numeric.length - 1] : 0;
  const server = Object.entries(serverErrors).filter(([path]) => path.startsWith('agingBuckets'));
  const showsDefaults = !draft.touched ? isDefault : !bucketsToSend(draft);
  return (
    <Card withBorder padding="md" data-testid="aging-buckets-editor">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('settings.company.aging.title')}</Title>
          <Badge variant="light" color={showsDefaults ? 'gray' : 'blue'} data-testid="aging-buckets-kind">
            {showsDefaults ? t('settings.company.aging.isDefault') : t('settings.company.aging.isCustom')}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">{t('settings.company.aging.hint')}</Text>
        {customNames && !draft.touched && <Alert color="yellow" p="xs">{t('settings.company.aging.customNames')}</Alert>}
        <Stack gap={6}>
          <Text size="sm">{t('settings.company.aging.notDueRow')}</Text>
          {draft.bounds.map((b, i) => {
            const from = i === 0 ? 1 : (numeric[i - 1] || 0) + 1;
            return (
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start" data-testid={`aging-bucket-row-${i}`}>
                <Text size="sm" w={150} pt={6}>{t('settings.company.aging.fromDay', { from })}</Text>
                <NumberInput
                  w={150}
                  size="sm"
                  min={1}
                  max={MAX_BUCKET_DAYS}
                  allowDecimal={false}
                  allowNegative={false}
                  aria-label={t('settings.company.aging.lastDay', { from })}
                  value={b}
                  onChange={(v) => set(draft.bounds.map((x, j) => (j === i ? (v === '' ? '' : Number(v)) : x)))}
                  error={(draft.touched && errors[i]) || serverErrors[`agingBuckets.${i + 1}.toDays`] || serverErrors[`agingBuckets.${i + 2}.fromDays`]}
                  data-testid={`aging-bound-${i}`}
                />
                <ActionIcon variant="subtle" color="gray" size="lg" mt={2} aria-label={t('settings.company.aging.remove', { from })} title={t('settings.company.aging.remove', { from })} onClick={() => set(draft.bounds.filter((_, j) => j !== i))}>
                  ×
                </ActionIcon>
              </Group>
            );
          })}
          <Text size="sm">{t('settings.company.aging.lastRow', { days: last })}</Text>
        </Stack>
        {server.length > 0 && <Alert color="red" p="xs">{server.map(([, message]) => message).join(' ')}</Alert>}
        <Group gap="sm">
          <Button size="xs" variant="light" disabled={full} onClick={() => set([...draft.bounds, Math.min(MAX_BUCKET_DAYS, last + 30)])} data-testid="aging-add">
            {t('settings.company.aging.add')}
          </Button>
          <Button size="xs" variant="subtle" onClick={() => set([...DEFAULT_UPPER_BOUNDS])} data-testid="aging-reset">
            {t('settings.company.aging.reset')}
          </Button>
          {draft.touched && !bucketsToSend(draft) && !isDefault && <Text size="xs" c="dimmed">{t('settings.company.aging.resetNote')}</Text>}
        </Group>
        {preview && (
          <Group gap={6} data-testid="aging-buckets-preview">
            <Text size="xs" c="dimmed">{t('settings.company.aging.preview')}</Text>
            {preview.map((p) => (
              <Badge key={p.key} variant="light" color={colors[p.key]?.split('.')[0] ?? 'gray'} style={{ textTransform: 'none' }}>{labelOfBucket(tr, p.key)}</Badge>
            ))}
          </Group>
        )}
      </Stack>
    </Card>
  );
}
