import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The footer of every modal form: Cancel closes, the submit button (Save unless named) spins while the request runs. */
export function FormActions(p: { onCancel: () => void; busy: boolean; submitLabel?: string; disabled?: boolean; submitTestId?: string }) {
  const { t } = useTranslation('app');
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={p.onCancel}>{t('common.cancel')}</Button>
      <Button type="submit" loading={p.busy} disabled={p.disabled} data-testid={p.submitTestId}>{p.submitLabel ?? t('common.save')}</Button>
    </Group>
  );
}
