import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { AuthCard } from '../../components/AuthCard';
import { useApiForm } from '../../components/useApiForm';

export function SignupPage() {
  const { t, i18n } = useTranslation();
  const form = useApiForm();
  // The account exists once the emailed link is followed (VerifyEmailPage); the answer is the same for a known email.
  const [sent, setSent] = useState(false);
  const [v, setV] = useState({ companyName: '', firstName: '', lastName: '', email: '', password: '' });
  const bind = (k: keyof typeof v) => ({ value: v[k], onChange: (e: React.ChangeEvent<HTMLInputElement>) => setV({ ...v, [k]: e.currentTarget.value }), error: form.fields[k], name: k });
  return (
    <AuthCard
      title={t('auth.signupTitle')}
      error={form.error}
      footer={<Text ta="center" size="sm">{t('auth.haveAccount')} <Anchor component={Link} to="/login">{t('auth.login')}</Anchor></Text>}
    >
      {sent ? <Alert color="green">{t('auth.checkEmail', { email: v.email })}</Alert> : <form
        onSubmit={(e) => {
          e.preventDefault();
          void form.run(async () => {
            const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
            await api('POST', '/api/v1/auth/signup', { ...v, language: i18n.language, timeZone });
            setSent(true);
          });
        }}
      >
        <Stack>
          <TextInput label={t('auth.companyName')} required {...bind('companyName')} />
          <Group grow>
            <TextInput label={t('common.firstName')} {...bind('firstName')} />
            <TextInput label={t('common.lastName')} {...bind('lastName')} />
          </Group>
          <TextInput label={t('common.email')} type="email" autoComplete="username" required {...bind('email')} />
          <PasswordInput label={t('common.password')} description={t('auth.passwordHint')} autoComplete="new-password" required {...bind('password')} />
          <Button type="submit" loading={form.busy}>{t('auth.signup')}</Button>
        </Stack>
      </form>}
    </AuthCard>
  );
}
