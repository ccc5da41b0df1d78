import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, DatePicker, List, Row, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { CSSProperties, useCallback, useMemo, useState } from 'react';
import { api, download } from '../api/client';
import { useAction, useErrorText, useLoad } from '../api/hooks';
import { useLiveRefresh } from '../api/live';
import { useI18n } from '../i18n/i18n';
import { MessageKey } from '../i18n/messages';
import { COLOUR_HEX, COLOURS, MEASURES } from '../i18n/labels';
import { LiveIndicator } from '../shared/LiveIndicator';
import { TicketDrawer } from '../shared/TicketDrawer';
import { OpenState, TicketListModal, TicketSource } from '../shared/TicketListModal';
import { formatTime, shanghai, thisMonth } from '../shared/time';
import { EmptyHint, LoadError } from '../shared/ui';
import { BreakdownTable } from './BreakdownTable';
import { HotspotPanel } from './HotspotPanel';
import { measureColumns } from './measure-columns';
import { TrendChart } from './TrendChart';
import { ListTable } from '../shared/ListTable';

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

/** Polled this often only while the push stream is down. */
const POLL_MS = 30_000;

/** The lines of the trend chart: measures of the counters. */
const TREND_MEASURES: [measure: string, label: MessageKey][] = [
  ['received', 'cockpit.received'],
  ['closed', 'cockpit.closed'],
  ['resolved-on-call', 'cockpit.resolvedOnCall'],
];

/** A figure that opens the tickets behind it. */
function Figure({ title, value, onOpen, testId, color }: { title: string; value: number; onOpen: () => void; testId?: string; color?: string }) {
  const style: CSSProperties | undefined = color ? { color } : undefined;
  return (
    <div
      className="figure-click"
      role="button"
      tabIndex={0}
      aria-label={`${title} ${value}`}
      onClick={onOpen}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onOpen()}
    >
      <Statistic title={title} value={value} data-testid={testId} styles={style ? { content: style } : undefined} />
    </div>
  );
}

/**
 * 领导驾驶舱 — the day and the month in numbers, pushed live (a reload on every change the
 * metrics service announces; a 30-second poll while the stream is down). Every figure opens
 * the tickets behind it.
 */
export default function CockpitPage({ canPublish }: { canPublish: boolean }) {
  const { t, name } = useI18n();
  const { modal } = App.useApp();
  const errorText = useErrorText();
  const { run, busy } = useAction();
  const [month, setMonth] = useState(thisMonth);
  const [tick, setTick] = useState(0);
  const [drill, setDrill] = useState<TicketSource | null>(null);
  const [openTicket, setOpenTicket] = useState<string | null>(null);

  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const live = useLiveRefresh(refresh, { pollMs: POLL_MS });

  const overview = useLoad((signal) => api.get<Overview>('/api/metrics/overview', undefined, signal), [tick]);
  const trends = useLoad(
    async (signal) => {
      const to = shanghai().format('YYYY-MM-DD');
      const from = shanghai().subtract(29, 'day').format('YYYY-MM-DD');
      const measures = TREND_MEASURES.map(([m]) => m);
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
        measure: s.measure,
        name: t(TREND_MEASURES.find(([m]) => m === s.measure)?.[1] ?? 'cockpit.received'),
        points: s.points,
      })),
    [trends.data, t],
  );
  const updatedAt = useMemo(() => (overview.data ? formatTime(new Date().toISOString()).slice(11) : '—'), [overview.data]);

  const exportAs = (format: 'csv' | 'xlsx') =>
    void download('/api/metrics/export', { month, format }, `departments-${month}.${format}`).catch((e: unknown) => {
      modal.error({ title: t('common.failed'), content: errorText(e) });
    });

  const publish = () =>
    void run(() => api.post('/api/metrics/grading/publish', { month }), { success: t('common.done') }).then(() => void grading.reload());

  const counts = (c: Record<string, number> | undefined, key: string) => c?.[key] ?? 0;
  const o = overview.data;
  const today = o?.today.day ?? shanghai().format('YYYY-MM-DD');
  const overviewMonth = o?.month.month ?? thisMonth();

  /** A counter of the whole hotline over days: today's, the month's, or one trend point. */
  const counterFigure = (label: string, measure: string, from: string, to: string, period: string) =>
    setDrill({ kind: 'counter', measure, from, to, title: `${label} · ${period}` });
  const todayFigure = (key: string, label: MessageKey, testId?: string) => (
    <Figure
      title={t(label)}
      value={counts(o?.today.counts, key)}
      testId={testId}
      onOpen={() => counterFigure(t(label), key, today, today, `${t('cockpit.today')} ${today}`)}
    />
  );
  const monthFigure = (key: string, label: MessageKey, testId?: string) => (
    <Figure
      title={t(label)}
      value={counts(o?.month.counts, key)}
      testId={testId}
      onOpen={() => counterFigure(t(label), key, `${overviewMonth}-01`, today, `${t('cockpit.month')} ${overviewMonth}`)}
    />
  );
  const nowFigure = (state: OpenState, label: MessageKey, color?: string) => (
    <Figure
      title={t(label)}
      value={o?.now[state] ?? 0}
      color={color}
      testId={`now-${state}`}
      onOpen={() => setDrill({ kind: 'state', state, title: `${t('cockpit.now')} · ${t(label)}` })}
    />
  );
  const departmentDrill = (departmentId: string, departmentName: string | null, measure: keyof Measures) =>
    setDrill({
      kind: 'department',
      departmentId,
      month,
      measure,
      title: `${t('cockpit.drill', { department: departmentName ?? departmentId.slice(0, 8), measure: name(MEASURES, measure) })} · ${month}`,
    });

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Row justify="space-between" align="middle">
        <Space size={12}>
          <LiveIndicator status={live} pollSeconds={POLL_MS / 1000} />
          <Typography.Text type="secondary" data-testid="cockpit-updated">
            {t('cockpit.updated', { time: updatedAt })}
          </Typography.Text>
          <Typography.Text type="secondary" className="cockpit-hint">{t('cockpit.clickHint')}</Typography.Text>
        </Space>
        <Space>
          <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />
          <Button icon={<ReloadOutlined />} onClick={() => setTick((n) => n + 1)} data-testid="cockpit-refresh">{t('common.refresh')}</Button>
          <Button icon={<DownloadOutlined />} onClick={() => exportAs('csv')} data-testid="cockpit-export-csv">{t('cockpit.exportCsv')}</Button>
          <Button icon={<DownloadOutlined />} onClick={() => exportAs('xlsx')} data-testid="cockpit-export-xlsx">{t('cockpit.exportXlsx')}</Button>
        </Space>
      </Row>
      <LoadError error={overview.error} retry={() => void overview.reload()} />
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Card size="small" title={t('cockpit.today')} loading={!o && overview.loading} data-testid="overview-today">
            <Row gutter={8}>
              <Col span={12}>{todayFigure('received', 'cockpit.received', 'today-received')}</Col>
              <Col span={12}>{todayFigure('assigned', 'cockpit.assigned', 'today-assigned')}</Col>
              <Col span={12}>{todayFigure('closed', 'cockpit.closed', 'today-closed')}</Col>
              <Col span={12}>{todayFigure('resolved-on-call', 'cockpit.resolvedOnCall', 'today-resolved-on-call')}</Col>
            </Row>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title={`${t('cockpit.month')} ${o?.month.month ?? ''}`} loading={!o && overview.loading} data-testid="overview-month">
            <Row gutter={8}>
              <Col span={12}>{monthFigure('received', 'cockpit.received', 'month-received')}</Col>
              <Col span={12}>{monthFigure('assigned', 'cockpit.assigned', 'month-assigned')}</Col>
              <Col span={12}>{monthFigure('closed', 'cockpit.closed', 'month-closed')}</Col>
              <Col span={12}>{monthFigure('repeats', 'cockpit.repeats', 'month-repeats')}</Col>
            </Row>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title={t('cockpit.now')} loading={!o && overview.loading} data-testid="overview-now">
            <Row gutter={8}>
              <Col span={12}>{nowFigure('open', 'cockpit.open')}</Col>
              <Col span={12}>{nowFigure('overdue', 'cockpit.overdue', '#cf1322')}</Col>
              <Col span={12}>{nowFigure('warning', 'cockpit.warning', '#d48806')}</Col>
              <Col span={12}>{nowFigure('escalated', 'cockpit.escalated')}</Col>
            </Row>
          </Card>
        </Col>
      </Row>

      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card size="small" title={t('cockpit.trends')}>
            <LoadError error={trends.error} retry={() => void trends.reload()} />
            <TrendChart series={series} onPick={(measure, day, label) => counterFigure(label, measure, day, day, day)} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <HotspotPanel tick={tick} onOpen={setDrill} />
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
                      style={{ background: d.colour ? COLOUR_HEX[d.colour] : '#f0f0f0', cursor: 'pointer' }}
                      role="button"
                      tabIndex={0}
                      onClick={() => departmentDrill(d.departmentId, d.departmentName, 'received')}
                      onKeyDown={(e) => e.key === 'Enter' && departmentDrill(d.departmentId, d.departmentName, 'received')}
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
                  renderItem={(d) => (
                    <List.Item>
                      <a onClick={() => departmentDrill(d.departmentId, d.departmentName, 'received')}>{d.departmentName ?? '—'}</a> <Tag>{d.score}</Tag>
                    </List.Item>
                  )}
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
                      <a onClick={() => departmentDrill(d.departmentId, d.departmentName, 'received')}>{d.departmentName ?? '—'}</a> <Tag>{d.score ?? '—'}</Tag>
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
        <ListTable<DepartmentRow>
          loaded={departments}
          rows={departments.data?.items ?? []}
          empty={t('cockpit.departmentsEmpty')}
          rowKey="departmentId"
          scroll={{ x: 'max-content' }}
          data-testid="departments-table"
          columns={[
            { title: t('cockpit.rank'), dataIndex: 'rank', fixed: 'left', render: (v: number | null) => v ?? '—' },
            { title: t('ticket.department'), dataIndex: 'departmentName', fixed: 'left', render: (v: string | null, r) => v ?? r.departmentId.slice(0, 8) },
            {
              title: t('cockpit.score'),
              dataIndex: 'score',
              render: (v: number | null, r) => (v === null ? '—' : <Tag color={r.colour ? COLOUR_HEX[r.colour] : undefined}>{v}</Tag>),
            },
            ...measureColumns<DepartmentRow>(
              name,
              (r, m) => r[m as keyof Measures],
              (r, m) => departmentDrill(r.departmentId, r.departmentName, m as keyof Measures),
            ),
          ]}
        />
      </Card>

      <BreakdownTable month={month} tick={tick} onOpen={setDrill} />

      <TicketListModal source={drill} onClose={() => setDrill(null)} onOpen={setOpenTicket} />
      <TicketDrawer id={openTicket} onClose={() => setOpenTicket(null)} />
    </Space>
  );
}
