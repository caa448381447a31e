import { Button, Group, Popover, Stack, Text, type ButtonProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A destructive button that asks once more in a small popover before acting. */
export function ConfirmButton({ question, onConfirm, children, ...props }: ButtonProps & { question: string; onConfirm: () => void | Promise<void>; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} withArrow shadow="md" position="bottom-end">
      <Popover.Target>
        <Button color="red" variant="subtle" size="xs" {...props} onClick={() => setOpened((o) => !o)}>{children}</Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" maw={260}>
          <Text size="sm">{question}</Text>
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => setOpened(false)}>{t('common.cancel')}</Button>
            <Button size="xs" color="red" onClick={async () => { setOpened(false); await onConfirm(); }}>{t('common.delete')}</Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
