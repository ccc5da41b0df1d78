import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, DatePicker, List, Modal, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, download } from '../api/client';
import { useAction, useErrorText, useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { COLOUR_HEX, COLOURS, MEASURES, RATES } from '../i18n/labels';
import { regionName } from '../reference/regions';
import { TicketDrawer, TicketView } from '../shared/TicketDrawer';
import { formatTime, percent, shanghai, thisMonth } from '../shared/time';
import { EmptyHint, LoadError, StatusTag } from '../shared/ui';
import { HotspotPanel } from './HotspotPanel';
import { TrendChart } from './TrendChart';

interface Overview {
  today: { day: string; counts: Record<string, number> };
  month: { month: string; counts: Record<string, number>; departments: number };
  now: { open: number; overdue: number; warning: number; escalated: number };
}

type Measures = Record<'received' | 'assigned' | 'accepted' | 'signedOnTime' | 'closed' | 'closedOnTime' | 'returned' | 'reopened' | 'repeats' | 'callbacksAnswered' | 'satisfiedCallbacks', number>;

interface DepartmentRow extends Measures {
  departmentId: string;
  departmentName: string | null;
  rates: Record<string, number | null>;
  score: number | null;
  colour: string | null;
  rank: number | null;
}

interface Grading {
  month: string;
  published: boolean;
  formulaVersion: number;
  departments: DepartmentRow[];
}

interface Lists {
  good: DepartmentRow[];
  bad: (DepartmentRow & { reasons?: string[] })[];
}

const MEASURE_KEYS = Object.keys(MEASURES) as (keyof Measures)[];
const REFRESH_MS = 30_000;

/** 领导驾驶舱 — the day and the month in numbers, refreshed every 30 seconds. */
export default function CockpitPage({ canPublish }: { canPublish: boolean }) {
  const { t, name } = useI18n();
  const { modal } = App.useApp();
  const errorText = useErrorText();
  const { run, busy } = useAction();
  const [month, setMonth] = useState(thisMonth);
  const [tick, setTick] = useState(0);
  const [drill, setDrill] = useState<{ row: DepartmentRow; measure: keyof Measures } | null>(null);
  const [openTicket, setOpenTicket] = useState<string | null>(null);

  // Live numbers without a push channel: poll. (An SSE stream may come; this works without it.)
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const overview = useLoad((signal) => api.get<Overview>('/api/metrics/overview', undefined, signal), [tick]);
  const trends = useLoad(
    async (signal) => {
      const to = shanghai().format('YYYY-MM-DD');
      const from = shanghai().subtract(29, 'day').format('YYYY-MM-DD');
      const measures = ['received', 'closed', 'resolved-on-call'];
      const answers = await Promise.all(
        measures.map((measure) => api.get<{ series: { day: string; value: number }[] }>('/api/metrics/trends', { from, to, measure }, signal)),
      );
      return answers.map((a, i) => ({ measure: measures[i], points: a.series }));
    },
    [tick],
  );
  const grading = useLoad((signal) => api.get<Grading>('/api/metrics/grading', { month }, signal), [month, tick]);
  const lists = useLoad((signal) => api.get<Lists>('/api/metrics/lists', { month, size: 5 }, signal), [month, tick]);
  const departments = useLoad(
    (signal) => api.get<{ month: string; formulaVersion: number; items: DepartmentRow[] }>('/api/metrics/departments', { month }, signal),
    [month, tick],
  );

  const series = useMemo(
    () =>
      (trends.data ?? []).map((s) => ({
        name: s.measure === 'received' ? t('cockpit.received') : s.measure === 'closed' ? t('cockpit.closed') : t('cockpit.resolvedOnCall'),
        points: s.points,
      })),
    [trends.data, t],
  );

  const exportAs = (format: 'csv' | 'xlsx') =>
    void download('/api/metrics/export', { month, format }, `departments-${month}.${format}`).catch((e: unknown) => {
      modal.error({ title: t('common.failed'), content: errorText(e) });
    });

  const publish = () =>
    void run(() => api.post('/api/metrics/grading/publish', { month }), { success: t('common.done') }).then(() => void grading.reload());

  const counts = (c: Record<string, number> | undefined, key: string) => c?.[key] ?? 0;
  const o = overview.data;

  const measureCell = (row: DepartmentRow, measure: keyof Measures) => {
    const value = row[measure];
    return value > 0 ? (
      <span className="stat-click" role="button" tabIndex={0} onClick={() => setDrill({ row, measure })} onKeyDown={(e) => e.key === 'Enter' && setDrill({ row, measure })}>
        {value}
      </span>
    ) : (
      <span>0</span>
    );
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Row justify="space-between" align="middle">
        <Typography.Text type="secondary" data-testid="cockpit-updated">
          {t('cockpit.autoRefresh', { time: formatTime(new Date().toISOString()).slice(11) })}
        </Typography.Text>
        <Space>
          <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />
          <Button icon={<ReloadOutlined />} onClick={() => setTick((n) => n + 1)} data-testid="cockpit-refresh">{t('common.refresh')}</Button>
          <Button icon={<DownloadOutlined />} onClick={() => exportAs('csv')}>{t('cockpit.exportCsv')}</Button>
          <Button icon={<DownloadOutlined />} onClick={() => exportAs('xlsx')}>{t('cockpit.exportXlsx')}</Button>
        </Space>
      </Row>
      <LoadError error={overview.error} retry={() => void overview.reload()} />
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Card size="small" title={t('cockpit.today')} loading={!o && overview.loading} data-testid="overview-today">
            <Row gutter={8}>
              <Col span={12}><Statistic title={t('cockpit.received')} value={counts(o?.today.counts, 'received')} data-testid="today-received" /></Col>
              <Col span={12}><Statistic title={t('cockpit.assigned')} value={counts(o?.today.counts, 'assigned')} /></Col>
              <Col span={12}><Statistic title={t('cockpit.closed')} value={counts(o?.today.counts, 'closed')} /></Col>
              <Col span={12}><Statistic title={t('cockpit.resolvedOnCall')} value={counts(o?.today.counts, 'resolved-on-call')} /></Col>
            </Row>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title={`${t('cockpit.month')} ${o?.month.month ?? ''}`} loading={!o && overview.loading} data-testid="overview-month">
            <Row gutter={8}>
              <Col span={12}><Statistic title={t('cockpit.received')} value={counts(o?.month.counts, 'received')} data-testid="month-received" /></Col>
              <Col span={12}><Statistic title={t('cockpit.assigned')} value={counts(o?.month.counts, 'assigned')} /></Col>
              <Col span={12}><Statistic title={t('cockpit.closed')} value={counts(o?.month.counts, 'closed')} /></Col>
              <Col span={12}><Statistic title={t('cockpit.repeats')} value={counts(o?.month.counts, 'repeats')} /></Col>
            </Row>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title={t('cockpit.now')} loading={!o && overview.loading}>
            <Row gutter={8}>
              <Col span={12}><Statistic title={t('cockpit.open')} value={o?.now.open ?? 0} /></Col>
              <Col span={12}><Statistic title={t('cockpit.overdue')} value={o?.now.overdue ?? 0} styles={{ content: { color: '#cf1322' } }} /></Col>
              <Col span={12}><Statistic title={t('cockpit.warning')} value={o?.now.warning ?? 0} styles={{ content: { color: '#d48806' } }} /></Col>
              <Col span={12}><Statistic title={t('cockpit.escalated')} value={o?.now.escalated ?? 0} /></Col>
            </Row>
          </Card>
        </Col>
      </Row>

      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card size="small" title={t('cockpit.trends')}>
            <LoadError error={trends.error} retry={() => void trends.reload()} />
            <TrendChart series={series} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <HotspotPanel tick={tick} />
        </Col>
      </Row>

      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card
            size="small"
            title={t('cockpit.grading')}
            extra={
              <Space>
                {grading.data && (
                  <Tag color={grading.data.published ? 'green' : 'default'}>
                    {t(grading.data.published ? 'cockpit.published' : 'cockpit.live', { v: grading.data.formulaVersion })}
                  </Tag>
                )}
                {canPublish && grading.data && !grading.data.published && (
                  <Button size="small" loading={busy} onClick={publish}>{t('cockpit.publish')}</Button>
                )}
              </Space>
            }
          >
            <LoadError error={grading.error} retry={() => void grading.reload()} />
            <Space style={{ marginBottom: 8 }} wrap>
              {Object.keys(COLOURS).map((c) => (
                <Tag key={c} color={COLOUR_HEX[c]}>{name(COLOURS, c)}</Tag>
              ))}
            </Space>
            {grading.data && grading.data.departments.length === 0 ? (
              <EmptyHint text={t('cockpit.gradingEmpty')} />
            ) : (
              <div className="grading-grid" data-testid="grading-grid">
                {(grading.data?.departments ?? []).map((d) => (
                  <Tooltip key={d.departmentId} title={`${d.departmentName ?? ''} · ${t('cockpit.score')} ${d.score ?? '—'}`}>
                    <div
                      className={`grading-cell${d.colour === 'dark-green' || d.colour === 'red' ? ' dark' : ''}`}
                      style={{ background: d.colour ? COLOUR_HEX[d.colour] : '#f0f0f0' }}
                    >
                      <div>{d.departmentName ?? d.departmentId.slice(0, 8)}</div>
                      <strong>{d.score ?? '—'}</strong> {d.rank ? `#${d.rank}` : ''}
                    </div>
                  </Tooltip>
                ))}
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={`${t('cockpit.good')} / ${t('cockpit.bad')}`}>
            <LoadError error={lists.error} retry={() => void lists.reload()} />
            <Row gutter={8}>
              <Col span={12}>
                <Typography.Text strong style={{ color: '#389e0d' }}>{t('cockpit.good')}</Typography.Text>
                <List
                  size="small"
                  dataSource={lists.data?.good ?? []}
                  locale={{ emptyText: '—' }}
                  renderItem={(d) => <List.Item>{d.departmentName ?? '—'} <Tag>{d.score}</Tag></List.Item>}
                />
              </Col>
              <Col span={12}>
                <Typography.Text strong style={{ color: '#cf1322' }}>{t('cockpit.bad')}</Typography.Text>
                <List
                  size="small"
                  dataSource={lists.data?.bad ?? []}
                  locale={{ emptyText: '—' }}
                  renderItem={(d) => (
                    <List.Item>
                      {d.departmentName ?? '—'} <Tag>{d.score ?? '—'}</Tag>
                      {(d.reasons ?? [])
                        .filter((r) => r.startsWith('repeats-supervised:'))
                        .map((r) => (
                          <Tag key={r} color="red">{t('cockpit.repeatSupervised', { n: r.split(':')[1] })}</Tag>
                        ))}
                    </List.Item>
                  )}
                />
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>

      <Card size="small" title={t('cockpit.departments')}>
        <LoadError error={departments.error} retry={() => void departments.reload()} />
        <Table<DepartmentRow>
          rowKey="departmentId"
          size="small"
          loading={departments.loading && !departments.data}
          dataSource={departments.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <EmptyHint text={t('cockpit.departmentsEmpty')} /> }}
          data-testid="departments-table"
          columns={[
            { title: t('cockpit.rank'), dataIndex: 'rank', fixed: 'left', render: (v: number | null) => v ?? '—' },
            { title: t('ticket.department'), dataIndex: 'departmentName', fixed: 'left', render: (v: string | null, r) => v ?? r.departmentId.slice(0, 8) },
            {
              title: t('cockpit.score'),
              dataIndex: 'score',
              render: (v: number | null, r) => (v === null ? '—' : <Tag color={r.colour ? COLOUR_HEX[r.colour] : undefined}>{v}</Tag>),
            },
            ...MEASURE_KEYS.map((m) => ({ title: name(MEASURES, m), key: m, render: (_: unknown, r: DepartmentRow) => measureCell(r, m) })),
            ...Object.keys(RATES).map((rate) => ({ title: name(RATES, rate), key: rate, render: (_: unknown, r: DepartmentRow) => percent(r.rates?.[rate]) })),
          ]}
        />
      </Card>

      <DrillDown month={month} drill={drill} onClose={() => setDrill(null)} onOpen={setOpenTicket} />
      <TicketDrawer id={openTicket} onClose={() => setOpenTicket(null)} />
    </Space>
  );
}

/** The tickets behind one number of the departments table. */
function DrillDown({ month, drill, onClose, onOpen }: { month: string; drill: { row: DepartmentRow; measure: keyof Measures } | null; onClose: () => void; onOpen: (id: string) => void }) {
  const { t, name } = useI18n();
  const tickets = useLoad(
    (signal) =>
      drill
        ? api.get<{ items: TicketView[] }>(`/api/metrics/departments/${drill.row.departmentId}/tickets`, { month, measure: drill.measure }, signal)
        : Promise.resolve({ items: [] as TicketView[] }),
    [drill, month],
  );
  return (
    <Modal
      open={!!drill}
      onCancel={onClose}
      footer={null}
      width={900}
      title={drill ? t('cockpit.drill', { department: drill.row.departmentName ?? '', measure: name(MEASURES, drill.measure) }) : ''}
    >
      <LoadError error={tickets.error} retry={() => void tickets.reload()} />
      <Table<TicketView>
        rowKey="id"
        size="small"
        loading={tickets.loading}
        dataSource={tickets.data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        data-testid="drill-table"
        columns={[
          { title: t('ticket.number'), dataIndex: 'number', render: (v: string, r) => <a onClick={() => onOpen(r.id)}>{v}</a> },
          { title: t('ticket.title'), dataIndex: 'title', ellipsis: true },
          { title: t('ticket.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
          { title: t('ticket.region'), dataIndex: 'regionCode', render: (v: string) => regionName(v) },
          { title: t('ticket.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => formatTime(v) },
        ]}
      />
    </Modal>
  );
}
