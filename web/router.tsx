import { createRootRoute, createRoute, createRouter, Outlet } from '@tanstack/react-router';
import { Center, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LoginPage } from './features/auth/LoginPage';
import { AcceptInvitationPage, ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from './features/auth/PasswordPages';
import { SignupPage } from './features/auth/SignupPage';
import { ComingSoonPage, DashboardPage } from './features/dashboard/DashboardPage';
import { ReportsPage } from './features/reports/ReportsPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { CustomerListPage } from './features/customers/CustomerListPage';
import { CustomerPage } from './features/customers/CustomerPage';
import { InvoicesPage } from './features/documents/InvoicesPage';
import { ImportPage } from './features/imports/ImportPage';
import { stringSearch } from './components/useSearchState';
import { AppLayout } from './features/shell/AppLayout';

function NotFound() {
  const { t } = useTranslation();
  return <Center p="xl"><Text>{t('notFound')}</Text></Center>;
}

const root = createRootRoute({ component: Outlet, notFoundComponent: NotFound });
const publicRoute = (path: string, component: () => React.JSX.Element) => createRoute({ getParentRoute: () => root, path, component });
const app = createRoute({ getParentRoute: () => root, id: 'app', component: AppLayout });
const page = (path: string, component: () => React.JSX.Element) => createRoute({ getParentRoute: () => app, path, component });
/** List pages keep their filters, sort and the current import in the URL. */
const searchPage = (path: string, component: () => React.JSX.Element) => createRoute({ getParentRoute: () => app, path, component, validateSearch: stringSearch });

const routeTree = root.addChildren([
  publicRoute('/login', LoginPage),
  publicRoute('/signup', SignupPage),
  publicRoute('/forgot-password', ForgotPasswordPage),
  publicRoute('/reset-password', ResetPasswordPage),
  publicRoute('/accept-invitation', AcceptInvitationPage),
  publicRoute('/verify-email', VerifyEmailPage),
  app.addChildren([
    page('/', DashboardPage),
    searchPage('/customers', CustomerListPage),
    page('/customers/$customerId', CustomerPage),
    searchPage('/invoices', InvoicesPage),
    searchPage('/imports', ImportPage),
    page('/actions', () => <ComingSoonPage titleKey="nav.actions" />),
    page('/reports', ReportsPage),
    createRoute({ getParentRoute: () => app, path: '/settings', component: SettingsPage, validateSearch: (s: Record<string, unknown>) => ({ tab: typeof s.tab === 'string' ? s.tab : undefined }) }),
  ]),
]);

export const router = createRouter({ routeTree });
