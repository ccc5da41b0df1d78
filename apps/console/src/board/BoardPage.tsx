import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Segmented, Select, Space, Tabs, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/hooks';
import { useLiveRefresh } from '../api/live';
import { CallbackList } from '../desk/CallbackList';
import { useI18n } from '../i18n/i18n';
import { CLOCKS, DEMAND_TYPES } from '../i18n/labels';
import { REGIONS, regionMatches, regionName } from '../reference/regions';
import { LiveIndicator } from '../shared/LiveIndicator';
import { TicketDrawer, TicketView } from '../shared/TicketDrawer';
import { TicketExportButtons } from '../shared/TicketListModal';
import { formatTime } from '../shared/time';
import { DueText, StatusTag, UrgencyTag, useDepartments } from '../shared/ui';
import { SupervisorDialog, SupervisorDialogs } from './SupervisorDialogs';
import { ListTable } from '../shared/ListTable';

interface BoardItem {
  id: string;
  number: string;
  status: string;
  urgency: string;
  demandType: string;
  departmentId: string | null;
  regionCode: string;
  clock: string | null;
  deadline: string | null;
  warning: boolean;
  overdue: boolean;
  escalationLevel: number;
  repeatCount: number;
}

/** An extension or pause request (GET /api/supervision/requests). */
interface SupervisionRequest {
  id: string;
  kind: 'extension' | 'pause';
  ticketId: string;
  number: string;
  regionCode: string;
  departmentId: string | null;
  workingDays: number | null;
  reason: string;
  requestedAt: string;
}

type RequestStatus = 'pending' | 'approved' | 'denied';

/** The board follows the metrics stream too; polled this often while it is down. */
const POLL_MS = 30_000;

/** 督办看板 — what is late or about to be, the replies to review, the requests to decide. */
export function BoardPage({ readOnly }: { readOnly: boolean }) {
  const { t, name } = useI18n();
  const departments = useDepartments();
  const [filters, setFilters] = useState<{ regionCode?: string; departmentId?: string; level?: number }>({});
  const [tab, setTab] = useState('board');
  const [openId, setOpenId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<SupervisorDialog>(null);
  const [changes, setChanges] = useState(0);
  const [requestStatus, setRequestStatus] = useState<RequestStatus>('pending');

  const board = useLoad((signal) => api.get<{ items: BoardItem[] }>('/api/supervision/board', filters, signal), [filters]);
  const review = useLoad(
    (signal) => (tab === 'review' ? api.get<{ items: TicketView[] }>('/api/tickets', { status: 'replied', pageSize: 100, ...filters, level: undefined }, signal) : Promise.resolve({ items: [] as TicketView[] })),
    [tab, filters],
  );
  const requests = useLoad(
    (signal) =>
      tab === 'requests'
        ? api.get<{ items: SupervisionRequest[] }>('/api/supervision/requests', { status: requestStatus }, signal).then((r) => r.items)
        : Promise.resolve([] as SupervisionRequest[]),
    [tab, requestStatus],
  );

  const { reload: reloadBoard } = board;
  const { reload: reloadReview } = review;
  const { reload: reloadRequests } = requests;
  const reloadAll = useCallback(() => {
    void reloadBoard();
    void reloadReview();
    void reloadRequests();
  }, [reloadBoard, reloadReview, reloadRequests]);
  // Every ticket event reaches the metrics service too: its change notices say the board may have moved.
  const live = useLiveRefresh(reloadAll, { debounceMs: 1_000, pollMs: POLL_MS });
  const done = (submitted: boolean) => {
    setDialog(null);
    if (submitted) {
      reloadAll();
      setChanges((n) => n + 1);
    }
  };
  const deptName = (id: string | null) => (id ? (departments.get(id)?.name ?? id.slice(0, 8)) : '—');

  const filterBar = (
    <Space wrap>
      <Select
        allowClear
        style={{ width: 180 }}
        placeholder={t('ticket.region')}
        value={filters.regionCode}
        onChange={(regionCode?: string) => setFilters((f) => ({ ...f, regionCode }))}
        showSearch={{
          filterOption: (input, option) => {
            const region = REGIONS.find((r) => r.code === option?.value);
            return !!region && regionMatches(region, input);
          },
        }}
        options={REGIONS.map((r) => ({ value: r.code, label: r.name }))}
      />
      <Select
        allowClear
        style={{ width: 240 }}
        placeholder={t('ticket.department')}
        value={filters.departmentId}
        onChange={(departmentId?: string) => setFilters((f) => ({ ...f, departmentId }))}
        showSearch={{ optionFilterProp: 'label' }}
        options={[...departments.values()].map((d) => ({ value: d.id, label: d.name }))}
      />
      {tab === 'board' && (
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('ticket.escalation')}
          value={filters.level}
          onChange={(level?: number) => setFilters((f) => ({ ...f, level }))}
          options={[1, 2, 3].map((n) => ({ value: n, label: `≥ ${t('board.escalationLevel', { n })}` }))}
        />
      )}
      <Button icon={<ReloadOutlined />} onClick={reloadAll} data-testid="board-refresh">{t('common.refresh')}</Button>
      <LiveIndicator status={live} pollSeconds={POLL_MS / 1000} />
    </Space>
  );

  const ticketLink = (id: string, number: string) => <a onClick={() => setOpenId(id)}>{number}</a>;

  const boardTab = (
    <>
      <ListTable<BoardItem>
        loaded={board}
        rows={board.data?.items ?? []}
        empty={t('board.empty')}
        rowKey="id"
        rowClassName={(r) => (r.overdue ? 'row-overdue' : r.warning ? 'row-warning' : '')}
        columns={[
          { title: t('ticket.number'), dataIndex: 'number', render: (v: string, r) => ticketLink(r.id, v) },
          { title: t('ticket.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
          {
            title: t('ticket.demandType'),
            key: 'kind',
            render: (_, r) => (
              <Space size={2}>
                <Tag>{name(DEMAND_TYPES, r.demandType)}</Tag>
                <UrgencyTag urgency={r.urgency} />
              </Space>
            ),
          },
          { title: t('ticket.department'), dataIndex: 'departmentId', render: (v: string | null) => deptName(v) },
          { title: t('ticket.region'), dataIndex: 'regionCode', render: (v: string) => regionName(v) },
          { title: t('board.clock'), dataIndex: 'clock', render: (v: string | null) => name(CLOCKS, v) || '—' },
          { title: t('board.deadline'), key: 'deadline', render: (_, r) => <DueText due={r.deadline} overdue={r.overdue} warning={r.warning} /> },
          {
            title: t('ticket.escalation'),
            dataIndex: 'escalationLevel',
            render: (v: number) => (v > 0 ? <Tag color={v >= 2 ? 'red' : 'orange'}>{t('board.escalationLevel', { n: v })}</Tag> : '—'),
          },
          { title: t('ticket.repeats'), dataIndex: 'repeatCount', render: (v: number) => (v > 0 ? <Tag color="orange">{v}</Tag> : '—') },
          ...(readOnly
            ? []
            : [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, r: BoardItem) => (
                    <Space size={4}>
                      <Button size="small" onClick={() => setDialog({ kind: 'urge', ticketId: r.id, number: r.number })}>{t('board.urge')}</Button>
                      <Button size="small" danger onClick={() => setDialog({ kind: 'supervise', ticketId: r.id, number: r.number })}>{t('board.supervise')}</Button>
                    </Space>
                  ),
                },
              ]),
        ]}
      />
    </>
  );

  const reviewTab = (
    <>
      <Space style={{ marginBottom: 8, width: '100%', justifyContent: 'flex-end' }}>
        <TicketExportButtons source={{ kind: 'list', title: t('board.tab.review'), query: { status: 'replied', regionCode: filters.regionCode, departmentId: filters.departmentId } }} />
      </Space>
      <ListTable<TicketView>
        loaded={review}
        rows={review.data?.items ?? []}
        empty={t('board.reviewEmpty')}
        rowKey="id"
        data-testid="review-table"
        columns={[
          { title: t('ticket.number'), dataIndex: 'number', render: (v: string, r) => ticketLink(r.id, v) },
          { title: t('ticket.title'), dataIndex: 'title', ellipsis: true },
          { title: t('ticket.department'), dataIndex: 'departmentName' },
          { title: t('ticket.region'), dataIndex: 'regionCode', render: (v: string) => regionName(v) },
          { title: t('ticket.replyDeadline'), key: 'due', render: (_, r) => <DueText due={r.deadlines.reply} overdue={r.flags.overdue} warning={r.flags.warning} /> },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) => (
              <Space size={4}>
                <Button size="small" onClick={() => setOpenId(r.id)}>{t('board.latestReply')}</Button>
                <Button size="small" type="primary" onClick={() => setDialog({ kind: 'review', ticketId: r.id, number: r.number, approved: true })}>
                  {t('board.reviewApprove')}
                </Button>
                <Button size="small" danger onClick={() => setDialog({ kind: 'review', ticketId: r.id, number: r.number, approved: false })}>
                  {t('board.reviewReject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </>
  );

  const requestsTab = (
    <>
      <Segmented<RequestStatus>
        style={{ marginBottom: 8 }}
        value={requestStatus}
        onChange={setRequestStatus}
        options={(['pending', 'approved', 'denied'] as const).map((s) => ({ value: s, label: t(`board.requestStatus.${s}`) }))}
        data-testid="requests-status"
      />
      <ListTable<SupervisionRequest>
        loaded={requests}
        rows={(requests.data ?? []).filter((r) => !filters.regionCode || r.regionCode === filters.regionCode).filter((r) => !filters.departmentId || r.departmentId === filters.departmentId)}
        empty={requestStatus === 'pending' ? t('board.extensionsEmpty') : t('drill.empty')}
        rowKey="id"
        data-testid="requests-table"
        columns={[
          { title: t('ticket.number'), dataIndex: 'number', render: (v: string, r) => ticketLink(r.ticketId, v) },
          {
            title: t('board.requestKind'),
            key: 'kind',
            render: (_, r) => (
              <Tag color={r.kind === 'extension' ? 'blue' : 'purple'}>
                {t(r.kind === 'extension' ? 'board.extensionKind' : 'board.pauseKind')}
                {r.workingDays ? ` · ${t('board.workingDays', { n: r.workingDays })}` : ''}
              </Tag>
            ),
          },
          { title: t('board.requestedBy'), dataIndex: 'departmentId', render: (v: string | null) => deptName(v) },
          { title: t('ticket.region'), dataIndex: 'regionCode', render: (v: string) => regionName(v) },
          { title: t('common.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('common.time'), dataIndex: 'requestedAt', render: (v: string) => formatTime(v) },
          ...(requestStatus === 'pending'
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, r: SupervisionRequest) => (
                    <Space size={4}>
                      <Button size="small" type="primary" onClick={() => setDialog({ kind: r.kind, requestId: r.id, number: r.number, approved: true })}>
                        {t('common.approve')}
                      </Button>
                      <Button size="small" danger onClick={() => setDialog({ kind: r.kind, requestId: r.id, number: r.number, approved: false })}>
                        {t('common.deny')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );

  return (
    <Card title={t('board.title')} size="small" extra={filterBar}>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'board', label: `${t('board.tab.board')}${board.data ? ` (${board.data.items.length})` : ''}`, children: boardTab },
          ...(readOnly
            ? []
            : [
                { key: 'review', label: t('board.tab.review'), children: reviewTab },
                { key: 'requests', label: t('board.tab.extensions'), children: requestsTab },
                { key: 'callbacks', label: t('board.tab.callbacks'), children: <CallbackList /> },
              ]),
        ]}
      />
      <TicketDrawer
        id={openId}
        onClose={() => setOpenId(null)}
        refreshKey={changes}
        actions={
          !readOnly && openId ? (
            <Space wrap>
              <Typography.Text type="secondary">{t('common.actions')}：</Typography.Text>
              <Button size="small" onClick={() => setDialog({ kind: 'urge', ticketId: openId, number: '' })}>{t('board.urge')}</Button>
              <Button size="small" danger onClick={() => setDialog({ kind: 'supervise', ticketId: openId, number: '' })}>{t('board.supervise')}</Button>
              <Button size="small" type="primary" onClick={() => setDialog({ kind: 'review', ticketId: openId, number: '', approved: true })}>{t('board.reviewApprove')}</Button>
              <Button size="small" onClick={() => setDialog({ kind: 'review', ticketId: openId, number: '', approved: false })}>{t('board.reviewReject')}</Button>
            </Space>
          ) : undefined
        }
      />
      <SupervisorDialogs dialog={dialog} onDone={done} />
    </Card>
  );
}
