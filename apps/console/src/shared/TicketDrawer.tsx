import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { ReactNode } from 'react';
import { api, ApiError } from '../api/client';
import { useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { CHANNELS, CLOCKS, DEMAND_TYPES, DOMAINS, EVENTS, REPLY_OUTCOMES, SATISFACTIONS } from '../i18n/labels';
import { regionName } from '../reference/regions';
import { formatTime } from './time';
import { DueText, StatusTag, UrgencyTag } from './ui';

export interface TicketView {
  id: string;
  number: string;
  status: string;
  channel: string;
  demandType: string;
  domain: string;
  urgency: string;
  regionCode: string;
  title: string | null;
  departmentId: string | null;
  departmentName: string | null;
  receivedAt: string | null;
  assignedAt: string | null;
  deadlines: { signFor: string | null; reply: string | null };
  resolvedAt: string | null;
  flags: { warning: boolean; overdue: boolean; escalationLevel: number; repeatCount: number };
}

export interface TimelineEvent {
  eventId: string;
  type: string;
  occurredAt: string;
  producer: string;
  actor: { id?: string; role?: string; username?: string } | null;
  payload: Record<string, unknown>;
}

export function loadTimeline(id: string, signal?: AbortSignal): Promise<TimelineEvent[]> {
  return api.get<TimelineEvent[]>(`/api/tickets/${id}/timeline`, undefined, signal).catch((e) => {
    // The projection may not have the ticket yet: an empty timeline, not an error.
    if (e instanceof ApiError && e.status === 404) return [];
    throw e;
  });
}

/** The payload fields worth a line in the timeline, in reading order. */
const PAYLOAD_FIELDS: [key: string, zh: string, en: string][] = [
  ['departmentName', '承办单位', 'Department'],
  ['content', '内容', 'Content'],
  ['answer', '答复', 'Answer'],
  ['outcome', '结果', 'Outcome'],
  ['reason', '理由', 'Reason'],
  ['note', '意见', 'Note'],
  ['comment', '意见', 'Comment'],
  ['approved', '审批', 'Approved'],
  ['satisfaction', '满意度', 'Satisfaction'],
  ['workingDays', '延期工作日', 'Working days'],
  ['clock', '计时', 'Clock'],
  ['deadline', '时限', 'Deadline'],
  ['replyDeadline', '新回复时限', 'New reply deadline'],
  ['level', '督办级别', 'Level'],
  ['notice', '通知', 'Notice'],
];

function describePayload(payload: Record<string, unknown>, lang: 'zh' | 'en'): string {
  const lines: string[] = [];
  for (const [key, zh, en] of PAYLOAD_FIELDS) {
    const value = payload[key];
    if (value === undefined || value === null || value === '') continue;
    let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (key === 'outcome') text = REPLY_OUTCOMES[text]?.[lang === 'zh' ? 0 : 1] ?? text;
    if (key === 'satisfaction') text = SATISFACTIONS[text]?.[lang === 'zh' ? 0 : 1] ?? text;
    if (key === 'approved') text = value ? (lang === 'zh' ? '同意' : 'yes') : lang === 'zh' ? '不同意' : 'no';
    if (key === 'deadline' || key === 'replyDeadline') text = formatTime(text);
    if (key === 'clock') text = CLOCKS[text]?.[lang === 'zh' ? 0 : 1] ?? text;
    lines.push(`${lang === 'zh' ? zh : en}：${text}`);
  }
  return lines.join('\n');
}

export function TicketTimeline({ events }: { events: TimelineEvent[] }) {
  const { t, name, lang } = useI18n();
  if (!events.length) return <Typography.Text type="secondary">{t('ticket.noTimeline')}</Typography.Text>;
  return (
    <Timeline
      items={events.map((e) => ({
        key: e.eventId,
        color: e.type === 'ticket.overdue' || e.type === 'ticket.escalated' ? 'red' : e.type === 'ticket.closed' ? 'green' : 'blue',
        content: (
          <div data-event={e.type}>
            <Space size={4}>
              <Typography.Text strong>{name(EVENTS, e.type)}</Typography.Text>
              <Typography.Text type="secondary">{formatTime(e.occurredAt)}</Typography.Text>
              {e.actor?.role && <Tag>{e.actor.username ?? e.actor.role}</Tag>}
            </Space>
            <div className="timeline-payload">{describePayload(e.payload, lang)}</div>
          </div>
        ),
      }))}
    />
  );
}

/**
 * A ticket's current view and its timeline. `actions` are what the current role may do;
 * they stay usable while the read model is still catching up (Kafka hops are asynchronous).
 */
export function TicketDrawer({
  id,
  onClose,
  actions,
  extra,
  refreshKey = 0,
}: {
  id: string | null;
  onClose: () => void;
  actions?: ReactNode;
  extra?: ReactNode;
  /** Changed by the page after an action, so the drawer shows the new state. */
  refreshKey?: number;
}) {
  const { t, name } = useI18n();
  const detail = useLoad(async (signal) => {
    if (!id) return null;
    const [view, events] = await Promise.all([
      api.get<TicketView>(`/api/tickets/${id}`, undefined, signal).catch((e) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
      loadTimeline(id, signal),
    ]);
    return { view, events };
  }, [id, refreshKey]);
  const view = detail.data?.view;

  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={720}
      title={view ? `${view.number} ${view.title ?? ''}` : t('common.detail')}
      extra={<Button icon={<ReloadOutlined />} onClick={() => void detail.reload()} aria-label={t('common.refresh')} />}
      data-testid="ticket-drawer"
    >
      {actions && <div style={{ marginBottom: 16 }}>{actions}</div>}
      {detail.error && <Alert type="error" title={t('common.emptyRetry')} showIcon style={{ marginBottom: 12 }} />}
      <Spin spinning={detail.loading && !detail.data}>
        {detail.data && !view && <Alert type="info" showIcon title={t('ticket.detailSyncing')} style={{ marginBottom: 12 }} />}
        {view && (
          <Descriptions bordered size="small" column={2} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('ticket.number')}>{view.number}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.status')}><StatusTag status={view.status} /></Descriptions.Item>
            <Descriptions.Item label={t('ticket.demandType')}>{name(DEMAND_TYPES, view.demandType)}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.domain')}>{name(DOMAINS, view.domain)}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.urgency')}><UrgencyTag urgency={view.urgency} /></Descriptions.Item>
            <Descriptions.Item label={t('ticket.channel')}>{name(CHANNELS, view.channel)}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.region')}>{regionName(view.regionCode)}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.department')}>{view.departmentName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.receivedAt')}>{formatTime(view.receivedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.assignedAt')}>{formatTime(view.assignedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.signForDeadline')}>
              <DueText due={view.deadlines.signFor} />
            </Descriptions.Item>
            <Descriptions.Item label={t('ticket.replyDeadline')}>
              <DueText due={view.deadlines.reply} overdue={view.flags.overdue} warning={view.flags.warning} />
            </Descriptions.Item>
            <Descriptions.Item label={t('ticket.flags')} span={2}>
              <Space>
                {view.flags.escalationLevel > 0 && <Tag color="red">{t('ticket.escalation')} {view.flags.escalationLevel}</Tag>}
                {view.flags.repeatCount > 0 && <Tag color="orange">{t('ticket.repeats')} {view.flags.repeatCount}</Tag>}
                {view.flags.overdue && <Tag color="red">{t('ticket.overdue')}</Tag>}
                {view.flags.warning && !view.flags.overdue && <Tag color="gold">{t('ticket.warning')}</Tag>}
              </Space>
            </Descriptions.Item>
          </Descriptions>
        )}
        {extra}
        <Typography.Title level={5}>{t('ticket.timeline')}</Typography.Title>
        {detail.data && <TicketTimeline events={detail.data.events} />}
      </Spin>
    </Drawer>
  );
}
