import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { DEMAND_TYPES } from '../i18n/labels';
import { regionName } from '../reference/regions';
import { TicketDrawer } from '../shared/TicketDrawer';
import { formatTime } from '../shared/time';
import { DueText, StatusTag, UrgencyTag } from '../shared/ui';
import { HandlerActions, InboxItem } from './HandlerActions';
import { ListTable } from '../shared/ListTable';

/** 承办待办 — the department's tickets, what is due first on top. */
export function InboxPage() {
  const { t, name } = useI18n();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);
  const inbox = useLoad(
    (signal) => api.get<{ items: InboxItem[] }>('/api/assignment/inbox', overdueOnly ? { overdue: true } : undefined, signal),
    [overdueOnly],
  );
  const items = inbox.data?.items ?? [];
  const open = items.find((i) => i.id === openId) ?? null;

  return (
    <Card
      title={t('inbox.title')}
      size="small"
      extra={
        <Space>
          <Checkbox checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)}>{t('inbox.filterOverdue')}</Checkbox>
          <Button icon={<ReloadOutlined />} onClick={() => void inbox.reload()} data-testid="inbox-refresh">{t('common.refresh')}</Button>
        </Space>
      }
    >
      <ListTable<InboxItem>
        loaded={inbox}
        rows={items}
        empty={t('inbox.empty')}
        rowKey="id"
        data-testid="inbox-table"
        rowClassName={(r) => (r.overdue ? 'row-overdue' : r.warning ? 'row-warning' : '')}
        onRow={(r) => ({
          onClick: () => setOpenId(r.id),
          // Keyboard: Tab to a row, Enter opens it.
          tabIndex: 0,
          onKeyDown: (e) => e.key === 'Enter' && setOpenId(r.id),
          style: { cursor: 'pointer' },
        })}
        columns={[
          { title: t('ticket.number'), dataIndex: 'number', width: 190 },
          { title: t('ticket.title'), dataIndex: 'title', ellipsis: true },
          { title: t('ticket.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
          {
            title: t('ticket.demandType'),
            key: 'kind',
            render: (_, r) => (
              <Space size={2}>
                <Tag>{name(DEMAND_TYPES, r.demandType)}</Tag>
                <UrgencyTag urgency={r.urgency} />
                <Tag color={r.role === 'main' ? 'blue' : 'purple'}>{t(r.role === 'main' ? 'ticket.role.main' : 'ticket.role.co')}</Tag>
              </Space>
            ),
          },
          { title: t('ticket.region'), dataIndex: 'regionCode', render: (v: string) => regionName(v) },
          { title: t('ticket.due'), key: 'due', render: (_, r) => <DueText due={r.due} overdue={r.overdue} warning={r.warning} /> },
          { title: t('ticket.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => formatTime(v) },
        ]}
      />
      <TicketDrawer
        id={openId}
        onClose={() => setOpenId(null)}
        refreshKey={changes}
        actions={
          open && (
            <>
              {open.note && (
                <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={`${t('inbox.noteFromReview')}：${open.note}`} />
              )}
              <Space direction="vertical">
                <Typography.Text>
                  <StatusTag status={open.status} /> {t('ticket.due')}：<DueText due={open.due} overdue={open.overdue} warning={open.warning} />
                </Typography.Text>
                <HandlerActions
                  item={open}
                  onChanged={() => {
                    void inbox.reload();
                    setChanges((n) => n + 1);
                  }}
                />
              </Space>
            </>
          )
        }
      />
    </Card>
  );
}
