import { Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type SessionInfo } from '../../api/client';
import { AuthCard } from '../../components/AuthCard';
import { useApiForm } from '../../components/useApiForm';
import { useSetSession } from './session';

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const setSession = useSetSession();
  const form = useApiForm();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  return (
    <AuthCard
      title={t('auth.loginTitle')}
      error={form.error}
      footer={<Text ta="center" size="sm">{t('auth.noAccount')} <Anchor component={Link} to="/signup">{t('auth.signupLink')}</Anchor></Text>}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void form.run(async () => {
            setSession(await api<SessionInfo>('POST', '/api/v1/auth/login', { email, password }));
            await navigate({ to: '/' });
          });
        }}
      >
        <Stack>
          <TextInput label={t('common.email')} name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={form.fields.email} />
          <PasswordInput label={t('common.password')} name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={form.fields.password} />
          <Group justify="space-between">
            <Anchor component={Link} to="/forgot-password" size="sm">{t('auth.forgotPassword')}</Anchor>
            <Button type="submit" loading={form.busy}>{t('auth.login')}</Button>
          </Group>
        </Stack>
      </form>
    </AuthCard>
  );
}
