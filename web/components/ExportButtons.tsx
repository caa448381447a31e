import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Export CSV / Export XLSX of a list with the filters the user sees (plain links: the browser downloads). */
export function ExportButtons({ base, params }: { base: string; params: URLSearchParams }) {
  const { t } = useTranslation('ledger');
  const query = params.toString();
  return (
    <Group gap="xs">
      {(['csv', 'xlsx'] as const).map((format) => (
        <Button key={format} component="a" href={`${base}.${format}${query ? `?${query}` : ''}`} download variant="default" size="sm" data-testid={`export-${format}`}>
          {t(`export.${format}`)}
        </Button>
      ))}
    </Group>
  );
}
