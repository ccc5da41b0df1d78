import {
  AlertOutlined,
  ApartmentOutlined,
  DashboardOutlined,
  InboxOutlined,
  PhoneOutlined,
  SettingOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { ReactNode } from 'react';
import { MessageKey } from '../i18n/messages';

export interface Workspace {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Who sees it in the menu; the services check the role again on every call. */
  roles: readonly string[];
}

/** A workspace per role (issue #8); the first one a role may use is its home. */
export const WORKSPACES: readonly Workspace[] = [
  { path: '/desk', label: 'nav.desk', icon: <PhoneOutlined />, roles: ['operator'] },
  { path: '/callbacks', label: 'nav.callbacks', icon: <SendOutlined />, roles: ['operator'] },
  { path: '/inbox', label: 'nav.inbox', icon: <InboxOutlined />, roles: ['handler'] },
  { path: '/dispatch', label: 'nav.dispatch', icon: <ApartmentOutlined />, roles: ['dispatcher'] },
  { path: '/board', label: 'nav.board', icon: <AlertOutlined />, roles: ['supervisor'] },
  { path: '/cockpit', label: 'nav.cockpit', icon: <DashboardOutlined />, roles: ['leader', 'supervisor'] },
  { path: '/board', label: 'nav.board', icon: <AlertOutlined />, roles: ['leader'] },
  { path: '/admin', label: 'nav.admin', icon: <SettingOutlined />, roles: ['admin'] },
];

export function workspacesOf(role: string): Workspace[] {
  return WORKSPACES.filter((w) => w.roles.includes(role));
}
