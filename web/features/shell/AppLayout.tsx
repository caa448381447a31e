import { AppShell, Avatar, Burger, Center, Group, Loader, Menu, NavLink, Select, Text, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type SessionInfo } from '../../api/client';
import { LanguageSwitcher } from '../../components/LanguageSwitcher';
import { can, isRole, type Permission } from '../../../common/roles';
import { useSession, useSetSession } from '../auth/session';

/** Entries with a permission show only to roles that have it (the server enforces it anyway). */
const NAV: { to: string; key: string; permission?: Permission }[] = [
  { to: '/', key: 'dashboard' },
  { to: '/customers', key: 'customers' },
  { to: '/invoices', key: 'invoices' },
  { to: '/imports', key: 'imports', permission: 'imports:run' },
  { to: '/actions', key: 'actions' },
  { to: '/reports', key: 'reports' },
  { to: '/settings', key: 'settings' },
];

/** The logged-in frame: navigation, company switcher, language switcher and user menu around the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle }] = useDisclosure();
  const session = useSession();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const path = useRouterState({ select: (s) => s.location.pathname });

  useEffect(() => {
    if (session.data === null) void navigate({ to: '/login' });
  }, [session.data, navigate]);
  if (!session.data) return <Center mih="100vh"><Loader /></Center>;
  const s = session.data;
  const name = [s.user.firstName, s.user.lastName].filter(Boolean).join(' ') || s.user.email;
  const allowed = (p?: Permission) => !p || (!!s.role && isRole(s.role) && can(s.role, p));

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" />
            <Title order={4} c="blue.8">DSO Manager</Title>
            {s.companies.length > 1 ? (
              <Select
                aria-label={t('shell.switchCompany')}
                data-testid="company-switcher"
                size="xs"
                w={220}
                allowDeselect={false}
                value={s.company?.id ?? null}
                data={s.companies.map((c) => ({ value: c.id, label: c.name }))}
                onChange={async (id) => {
                  if (id) setSession(await api<SessionInfo>('POST', '/api/v1/auth/switch-company', { tenantId: id }));
                }}
              />
            ) : (
              <Text fw={500} data-testid="company-name">{s.company?.name}</Text>
            )}
          </Group>
          <Group wrap="nowrap">
            <LanguageSwitcher loggedIn />
            <Menu position="bottom-end">
              <Menu.Target>
                <UnstyledButton aria-label={t('shell.userMenu')} data-testid="user-menu">
                  <Group gap="xs" wrap="nowrap">
                    <Avatar size="sm" color="blue">{name.slice(0, 1).toUpperCase()}</Avatar>
                    <Text size="sm" visibleFrom="md">{name}</Text>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{s.role ? t(`roles.${s.role}`) : ''}</Menu.Label>
                <Menu.Item component={Link} to="/settings?tab=security">{t('shell.mySecurity')}</Menu.Item>
                <Menu.Item
                  color="red"
                  data-testid="logout"
                  onClick={async () => {
                    await api('POST', '/api/v1/auth/logout');
                    setSession(null);
                    await navigate({ to: '/login' });
                  }}
                >
                  {t('auth.logout')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" data-testid="main-nav">
        {NAV.filter((n) => allowed(n.permission)).map((n) => (
          <NavLink key={n.to} component={Link} to={n.to} label={t(`nav.${n.key}`)} active={n.to === '/' ? path === '/' : path.startsWith(n.to)} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{s.company ? <Outlet /> : <Text>{t('shell.noCompany')}</Text>}</AppShell.Main>
    </AppShell>
  );
}
