import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type SessionInfo } from '../../api/client';
import { AuthCard } from '../../components/AuthCard';
import { useApiForm } from '../../components/useApiForm';
import { useSetSession } from './session';

const tokenFromUrl = () => new URLSearchParams(window.location.search).get('token') ?? '';
const backToLogin = (label: string) => <Text ta="center" size="sm"><Anchor component={Link} to="/login">{label}</Anchor></Text>;

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const form = useApiForm();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  return (
    <AuthCard title={t('auth.forgotTitle')} error={form.error} footer={backToLogin(t('common.backToLogin'))}>
      {sent ? (
        <Alert color="green">{t('auth.linkSent')}</Alert>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); void form.run(async () => { await api('POST', '/api/v1/auth/password-reset/request', { email }); setSent(true); }); }}>
          <Stack>
            <Text size="sm">{t('auth.forgotHelp')}</Text>
            <TextInput label={t('common.email')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={form.fields.email} />
            <Button type="submit" loading={form.busy}>{t('auth.sendLink')}</Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const form = useApiForm();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const token = tokenFromUrl();
  return (
    <AuthCard title={t('auth.resetTitle')} error={token ? form.error : t('auth.missingToken')} footer={backToLogin(t('common.backToLogin'))}>
      {done ? (
        <Alert color="green">{t('auth.resetDone')}</Alert>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); void form.run(async () => { await api('POST', '/api/v1/auth/password-reset/confirm', { token, password }); setDone(true); }); }}>
          <Stack>
            <PasswordInput label={t('auth.newPassword')} description={t('auth.passwordHint')} autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={form.fields.password} />
            <Button type="submit" loading={form.busy} disabled={!token}>{t('auth.setPassword')}</Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}

export function AcceptInvitationPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const setSession = useSetSession();
  const form = useApiForm();
  const token = tokenFromUrl();
  const info = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api<{ companyName: string; email: string; role: string; hasAccount: boolean }>('GET', `/api/v1/auth/invitations/${encodeURIComponent(token)}`),
    enabled: !!token,
    retry: false,
  });
  const [v, setV] = useState({ firstName: '', lastName: '', password: '' });
  const loadError = !token ? t('auth.missingToken') : info.error instanceof ApiError ? info.error.message : null;
  const inv = info.data;
  return (
    <AuthCard title={inv ? t('auth.invitationTitle', { company: inv.companyName }) : t('auth.acceptInvitation')} error={loadError ?? form.error} footer={backToLogin(t('common.backToLogin'))}>
      {inv && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void form.run(async () => {
              const body = inv.hasAccount ? { token, password: v.password } : { token, ...v, language: i18n.language };
              setSession(await api<SessionInfo>('POST', '/api/v1/auth/invitations/accept', body));
              await navigate({ to: '/' });
            });
          }}
        >
          <Stack>
            <Text size="sm">{t('auth.invitationHelp', { role: t(`roles.${inv.role}`), email: inv.email })}</Text>
            {inv.hasAccount ? (
              <Text size="sm" c="dimmed">{t('auth.invitationExistingAccount')}</Text>
            ) : (
              <>
                <TextInput label={t('common.firstName')} value={v.firstName} onChange={(e) => setV({ ...v, firstName: e.currentTarget.value })} />
                <TextInput label={t('common.lastName')} value={v.lastName} onChange={(e) => setV({ ...v, lastName: e.currentTarget.value })} />
              </>
            )}
            <PasswordInput label={t('common.password')} description={inv.hasAccount ? undefined : t('auth.passwordHint')} required value={v.password} onChange={(e) => setV({ ...v, password: e.currentTarget.value })} error={form.fields.password} />
            <Button type="submit" loading={form.busy}>{t('auth.acceptInvitation')}</Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}

/** The sign-up link: creates the company and its owner, then opens the app. */
export function VerifyEmailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const setSession = useSetSession();
  const form = useApiForm();
  const token = tokenFromUrl();
  return (
    <AuthCard title={t('auth.verifyTitle')} error={token ? form.error : t('auth.missingToken')} footer={backToLogin(t('common.backToLogin'))}>
      <Stack>
        <Text size="sm">{t('auth.verifyHelp')}</Text>
        <Button loading={form.busy} disabled={!token} onClick={() => void form.run(async () => { setSession(await api<SessionInfo>('POST', '/api/v1/auth/verify-email', { token })); await navigate({ to: '/' }); })}>{t('auth.verifyButton')}</Button>
      </Stack>
    </AuthCard>
  );
}
