import { Stack, Text, type MantineColor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney } from './format';

/** Amounts of several currencies, one line each: never summed across currencies. */
export function MoneyLines({ items, color, zeroDimmed = true }: { items: { currency: string; amountMinor: number }[]; color?: MantineColor; zeroDimmed?: boolean }) {
  const { i18n } = useTranslation();
  if (!items.length) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Stack gap={0} align="flex-end">
      {items.map((m) => (
        <Text key={m.currency} size="sm" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} c={m.amountMinor === 0 && zeroDimmed ? 'dimmed' : color}>
          {formatMoney(m.amountMinor, m.currency, i18n.language)}
        </Text>
      ))}
    </Stack>
  );
}
