import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Modal, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, download, RequestOptions } from '../api/client';
import { useErrorText, useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { DOMAINS } from '../i18n/labels';
import { regionName } from '../reference/regions';
import { TicketView } from './TicketDrawer';
import { formatTime, shanghai } from './time';
import { DueText, EmptyHint, LoadError, StatusTag } from './ui';

export type OpenState = 'open' | 'warning' | 'overdue' | 'escalated';

/** Where a list of tickets comes from: every figure of the cockpit names one of these. */
export type TicketSource =
  /** A counter of the dashboard over days (GET /api/metrics/counters/tickets). */
  | { kind: 'counter'; title: string; measure: string; dimension?: string; key?: string; from: string; to: string }
  /** What is open, warned, overdue or escalated now (GET /api/tickets?state=). */
  | { kind: 'state'; title: string; state: OpenState }
  /** A number of the departments table (GET /api/metrics/departments/:id/tickets). */
  | { kind: 'department'; title: string; departmentId: string; month: string; measure: string }
  /** A number of the table by district, domain, demand type or channel (GET /api/metrics/breakdown/tickets). */
  | { kind: 'breakdown'; title: string; dimension: string; key: string; month: string; measure: string }
  /** The demands behind a hotspot alert. */
  | { kind: 'hotspot'; title: string; id: string }
  /** Any filters of GET /api/tickets (the same as its export's). */
  | { kind: 'list'; title: string; query: Record<string, string | undefined> };

type Listed = TicketView & { contributed?: number };

interface Page {
  items: Listed[];
  total: number;
  /** A counter's value (a ticket may count more than once, e.g. reopened twice). */
  value?: number;
}

const PAGE_SIZE = 10;
/** A list exported by its tickets' ids stops here (POST /api/tickets/export); filtered exports take more. */
const BY_ID_EXPORT_LIMIT = 5_000;

/** The dimensions of a counter that are also filters of GET /api/tickets. */
const TICKET_FILTER_OF: Record<string, string> = { region: 'regionCode', domain: 'domain', 'demand-type': 'demandType' };

async function loadPage(source: TicketSource, page: number, pageSize: number, signal?: AbortSignal): Promise<Page> {
  switch (source.kind) {
    case 'counter': {
      const { measure, dimension = 'all', key = 'all', from, to } = source;
      return api.get<Page>('/api/metrics/counters/tickets', { measure, dimension, key, from, to, page, pageSize }, signal);
    }
    case 'state':
      return api.get<Page>('/api/tickets', { state: source.state, page, pageSize }, signal);
    case 'list':
      return api.get<Page>('/api/tickets', { ...source.query, page, pageSize }, signal);
    case 'department':
    case 'breakdown':
    case 'hotspot': {
      // Short lists, answered whole: paged here.
      const all =
        source.kind === 'department'
          ? await api.get<Page>(`/api/metrics/departments/${source.departmentId}/tickets`, { month: source.month, measure: source.measure }, signal)
          : source.kind === 'breakdown'
            ? await api.get<Page>(
                '/api/metrics/breakdown/tickets',
                { month: source.month, dimension: source.dimension, key: source.key, measure: source.measure },
                signal,
              )
            : await api.get<Page>(`/api/metrics/hotspots/${source.id}/tickets`, undefined, signal);
      return { total: all.items.length, items: all.items.slice((page - 1) * pageSize, page * pageSize) };
    }
  }
}

/**
 * The same list as filters of GET /api/tickets/export, when there is such a thing: the "now"
 * states, and tickets received (by day, overall or for a region, domain or demand type).
 */
export function serverExportQuery(source: TicketSource): RequestOptions['query'] | null {
  if (source.kind === 'state') return { state: source.state };
  if (source.kind === 'list') return source.query;
  if (source.kind === 'counter' && source.measure === 'received') {
    const dimension = source.dimension ?? 'all';
    if (dimension !== 'all' && !TICKET_FILTER_OF[dimension]) return null;
    const to = shanghai(`${source.to}T12:00:00+08:00`).add(1, 'day').format('YYYY-MM-DD');
    return {
      from: `${source.from}T00:00:00+08:00`,
      to: `${to}T00:00:00+08:00`,
      ...(dimension === 'all' ? {} : { [TICKET_FILTER_OF[dimension]]: source.key }),
    };
  }
  return null;
}

async function everyTicket(source: TicketSource): Promise<Listed[]> {
  const items: Listed[] = [];
  for (let page = 1; items.length < BY_ID_EXPORT_LIMIT; page += 1) {
    const answer = await loadPage(source, page, 200);
    items.push(...answer.items);
    if (answer.items.length < 200 || items.length >= answer.total) break;
  }
  return items;
}

function fileStem(source: TicketSource): string {
  switch (source.kind) {
    case 'counter':
      return `tickets-${source.measure}-${source.from}${source.to === source.from ? '' : `_${source.to}`}`;
    case 'state':
      return `tickets-${source.state}`;
    case 'department':
      return `tickets-${source.measure}-${source.month}`;
    case 'breakdown':
      return `tickets-${source.measure}-${source.month}-${source.key}`;
    case 'hotspot':
      return `tickets-hotspot-${source.id.slice(0, 8)}`;
    case 'list':
      return 'tickets';
  }
}

/**
 * Export buttons for a list of tickets: the server's filtered export when it can filter the same
 * way, else the list's tickets by id — the same columns either way.
 */
export function TicketExportButtons({ source }: { source: TicketSource }) {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const errorText = useErrorText();
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);
  const server = serverExportQuery(source);
  const run = async (format: 'csv' | 'xlsx') => {
    setBusy(format);
    try {
      const name = `${fileStem(source)}.${format}`;
      if (server) await download('/api/tickets/export', { ...server, format }, name);
      else await download('/api/tickets/export', undefined, name, { ids: (await everyTicket(source)).map((r) => r.id), format });
    } catch (e) {
      modal.error({ title: t('common.failed'), content: errorText(e) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space size={4}>
      <Button size="small" icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => void run('xlsx')} data-testid="drill-export-xlsx">
        {t('cockpit.exportXlsx')}
      </Button>
      <Button size="small" icon={<DownloadOutlined />} loading={busy === 'csv'} onClick={() => void run('csv')} data-testid="drill-export-csv">
        {t('cockpit.exportCsv')}
      </Button>
    </Space>
  );
}

/** The tickets behind a figure, page by page, each opening in the drawer; with its exports. */
export function TicketListModal({ source, onClose, onOpen }: { source: TicketSource | null; onClose: () => void; onOpen: (id: string) => void }) {
  const { t, name } = useI18n();
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [source]);
  const tickets = useLoad(
    (signal) => (source ? loadPage(source, page, PAGE_SIZE, signal) : Promise.resolve<Page>({ items: [], total: 0 })),
    [source, page],
  );
  const data = tickets.data;
  const counted = data?.value !== undefined && data.value !== data.total ? ` · ${t('drill.counted', { n: data.value })}` : '';
  return (
    <Modal
      open={!!source}
      onCancel={onClose}
      footer={null}
      width={960}
      title={
        <Space wrap>
          <span data-testid="drill-title">{source?.title}</span>
          {data && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {t('common.total', { n: data.total })}
              {counted}
            </Typography.Text>
          )}
        </Space>
      }
    >
      <Space style={{ marginBottom: 8, width: '100%', justifyContent: 'flex-end' }}>{source && <TicketExportButtons source={source} />}</Space>
      <LoadError error={tickets.error} retry={() => void tickets.reload()} />
      <Table<Listed>
        rowKey="id"
        size="small"
        loading={tickets.loading}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <EmptyHint text={t('drill.empty')} /> }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, hideOnSinglePage: true, showSizeChanger: false }}
        data-testid="drill-table"
        columns={[
          { title: t('ticket.number'), dataIndex: 'number', render: (v: string, r) => <a onClick={() => onOpen(r.id)}>{v}</a> },
          { title: t('ticket.title'), dataIndex: 'title', ellipsis: true, width: 220 },
          { title: t('ticket.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
          { title: t('ticket.domain'), dataIndex: 'domain', render: (v: string) => name(DOMAINS, v) },
          { title: t('ticket.region'), dataIndex: 'regionCode', render: (v: string) => regionName(v) },
          { title: t('ticket.department'), dataIndex: 'departmentName', render: (v: string | null) => v ?? '—' },
          { title: t('ticket.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => formatTime(v) },
          {
            title: t('ticket.replyDeadline'),
            key: 'due',
            render: (_, r) => <DueText due={r.deadlines?.reply ?? null} overdue={r.flags?.overdue} warning={r.flags?.warning} />,
          },
          ...(data?.items.some((r) => (r.contributed ?? 1) > 1)
            ? [{ title: t('drill.contributed'), dataIndex: 'contributed', render: (v: number | undefined) => (v && v > 1 ? <Tag>{v}</Tag> : v ?? '—') }]
            : []),
        ]}
      />
    </Modal>
  );
}
