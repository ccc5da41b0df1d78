import { LogoutOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
import { ReactNode, useEffect } from 'react';
import { useAuth, useUser } from '../auth/auth';
import { useI18n } from '../i18n/i18n';
import { ROLES } from '../i18n/labels';
import { navigate } from '../shared/router';
import { LanguageSwitch } from './LanguageSwitch';
import { workspacesOf } from './workspaces';

export function AppLayout({ path, children }: { path: string; children: ReactNode }) {
  const { t, name } = useI18n();
  const user = useUser();
  const { logout } = useAuth();
  const workspaces = workspacesOf(user.role);
  const selected = workspaces.find((w) => path === w.path || path.startsWith(`${w.path}/`))?.path;

  // Alt+1…9: jump between workspaces without the mouse.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const index = Number(e.key) - 1;
      if (Number.isInteger(index) && index >= 0 && index < workspaces.length) {
        e.preventDefault();
        navigate(workspaces[index].path);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [workspaces]);

  return (
    <Layout className="app-layout">
      <Layout.Sider breakpoint="lg" collapsedWidth={56} width={200} theme="dark">
        <div className="app-logo">{t('app.short')}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={workspaces.map((w, i) => ({
            key: w.path,
            icon: w.icon,
            label: (
              <a href={w.path} onClick={(e) => { e.preventDefault(); navigate(w.path); }} title={`Alt+${i + 1}`}>
                {t(w.label)}
              </a>
            ),
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Typography.Text strong>{t(workspaces.find((w) => w.path === selected)?.label ?? 'app.title')}</Typography.Text>
          <Space>
            <Tooltip title={t('app.shortcutsHelp')}>
              <QuestionCircleOutlined aria-label={t('app.shortcuts')} />
            </Tooltip>
            <span data-testid="current-user">
              {user.displayName} <Tag>{name(ROLES, user.role)}</Tag>
            </span>
            <LanguageSwitch />
            <Button type="text" icon={<LogoutOutlined />} onClick={() => void logout().then(() => navigate('/login'))}>
              {t('app.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content">{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
