import { Alert, Anchor, Center, Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { LanguageSwitcher } from './LanguageSwitcher';

/** The centred card of the pages before login (login, sign-up, reset, invitation). */
export function AuthCard({ title, error, children, footer }: { title: string; error?: string | null; children: ReactNode; footer?: ReactNode }) {
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Stack w={420} maw="100%">
        <Title order={2} ta="center" c="blue.8">DSO Manager</Title>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Stack>
            <Title order={3}>{title}</Title>
            {error && <Alert color="red" role="alert">{error}</Alert>}
            {children}
          </Stack>
        </Paper>
        {footer}
        <Center><LanguageSwitcher /></Center>
      </Stack>
    </Center>
  );
}

export { Anchor };
