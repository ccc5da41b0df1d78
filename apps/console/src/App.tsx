import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect } from 'react';
import { AuthProvider, useAuth } from './auth/auth';
import { LoginPage } from './auth/LoginPage';
import { BoardPage } from './board/BoardPage';
import { CallbacksPage } from './desk/CallbacksPage';
import { DeskPage } from './desk/DeskPage';
import { DispatchPage } from './dispatch/DispatchPage';
import { I18nProvider, useI18n } from './i18n/i18n';
import { InboxPage } from './inbox/InboxPage';
import { AppLayout } from './layout/AppLayout';
import { ErrorBoundary } from './layout/ErrorBoundary';
import { workspacesOf } from './layout/workspaces';
import { navigate, usePath } from './shared/router';

// The cockpit carries ECharts and admin many forms: loaded when first opened.
const CockpitPage = lazy(() => import('./cockpit/CockpitPage'));
const AdminPage = lazy(() => import('./admin/AdminPage'));

function Page({ path, role }: { path: string; role: string }) {
  const section = path.split('/')[1];
  switch (section) {
    case 'desk':
      return <DeskPage />;
    case 'callbacks':
      return <CallbacksPage />;
    case 'inbox':
      return <InboxPage />;
    case 'dispatch':
      return <DispatchPage />;
    case 'board':
      return <BoardPage readOnly={role !== 'supervisor'} />;
    case 'cockpit':
      return <CockpitPage canPublish={role === 'leader'} />;
    case 'admin':
      return <AdminPage section={path.split('/')[2]} />;
    default:
      return null;
  }
}

function Routes() {
  const { t } = useI18n();
  const { user } = useAuth();
  const path = usePath();
  const allowed = user ? workspacesOf(user.role) : [];
  const home = allowed[0]?.path;
  const permitted = allowed.some((w) => path === w.path || path.startsWith(`${w.path}/`));

  useEffect(() => {
    // Signed in on /login, /, or a path of another role: go to this role's home.
    if (user && home && !permitted) navigate(home, { replace: true });
  }, [user, home, permitted]);

  if (!user) return <LoginPage />;
  if (!home) return <Result status="403" title={t('app.noWorkspace')} />;
  if (!permitted) return null;
  return (
    <AppLayout path={path}>
      <ErrorBoundary key={path} title={t('app.crashed')} hint={t('app.crashedHint')} retry={t('app.reload')}>
        <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: 80 }} />}>
          <Page path={path} role={user.role} />
        </Suspense>
      </ErrorBoundary>
    </AppLayout>
  );
}

function Localised() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1668dc', borderRadius: 4 } }}>
      <AntApp>
        <AuthProvider>
          <Routes />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Localised />
    </I18nProvider>
  );
}
