import { Card, Tabs } from 'antd';
import { useI18n } from '../i18n/i18n';
import { MessageKey } from '../i18n/messages';
import { navigate } from '../shared/router';
import { CalendarAdmin } from './CalendarAdmin';
import { ChannelKeysAdmin } from './ChannelKeysAdmin';
import { DepartmentsAdmin } from './DepartmentsAdmin';
import { KnowledgeAdmin } from './KnowledgeAdmin';
import { RoutingRulesAdmin } from './RoutingRulesAdmin';
import { ScoringAdmin } from './ScoringAdmin';
import { SlaPoliciesAdmin } from './SlaPoliciesAdmin';
import { UsersAdmin } from './UsersAdmin';

const SECTIONS: { key: string; label: MessageKey; render: () => React.ReactNode }[] = [
  { key: 'departments', label: 'admin.departments', render: () => <DepartmentsAdmin /> },
  { key: 'users', label: 'admin.users', render: () => <UsersAdmin /> },
  { key: 'routing-rules', label: 'admin.routing', render: () => <RoutingRulesAdmin /> },
  { key: 'sla-policies', label: 'admin.sla', render: () => <SlaPoliciesAdmin /> },
  { key: 'calendar', label: 'admin.calendar', render: () => <CalendarAdmin /> },
  { key: 'scoring-formula', label: 'admin.scoring', render: () => <ScoringAdmin /> },
  { key: 'knowledge', label: 'admin.knowledge', render: () => <KnowledgeAdmin /> },
  { key: 'channel-keys', label: 'admin.channelKeys', render: () => <ChannelKeysAdmin /> },
];

/** 系统管理 — master data over the services' admin endpoints; each section has its own URL. */
export default function AdminPage({ section }: { section?: string }) {
  const { t } = useI18n();
  const active = SECTIONS.some((s) => s.key === section) ? (section as string) : SECTIONS[0].key;
  return (
    <Card size="small">
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/admin/${key}`)}
        destroyOnHidden
        items={SECTIONS.map((s) => ({ key: s.key, label: t(s.label), children: s.render() }))}
      />
    </Card>
  );
}
