import { Alert, Button, Card, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useAction, useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { DEMAND_TYPES, DOMAINS, URGENCIES } from '../i18n/labels';
import { REGIONS, regionName } from '../reference/regions';
import { PromptModal } from '../shared/PromptModal';
import { formatTime } from '../shared/time';
import { LoadError } from '../shared/ui';

interface RuleMatch {
  domains?: string[];
  categoryPrefixes?: string[];
  demandTypes?: string[];
  regionCodes?: string[];
  urgency?: string;
  minPeopleAffected?: number;
  keywords?: string[];
}

interface Rule {
  id: string;
  name: string;
  priority: number;
  active: boolean;
  match: RuleMatch;
  target: { mode: 'region-bureau' } | { mode: 'department'; departmentCode: string };
  coHandlerCodes: string[];
  confidence: 'sure' | 'review';
  version: number;
  updatedAt: string;
  updatedBy: string;
}

interface RuleForm {
  name: string;
  priority: number;
  match: RuleMatch;
  mode: 'region-bureau' | 'department';
  departmentCode?: string;
  coHandlerCodes?: string[];
  confidence: 'sure' | 'review';
}

/** Empty lists are refused by the service (leave the condition out instead): drop them. */
function cleanMatch(match: RuleMatch = {}): RuleMatch {
  return Object.fromEntries(
    Object.entries(match).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)),
  ) as RuleMatch;
}

function toBody(v: RuleForm) {
  return {
    name: v.name,
    priority: v.priority,
    match: cleanMatch(v.match),
    target: v.mode === 'department' ? { mode: 'department', departmentCode: v.departmentCode } : { mode: 'region-bureau' },
    coHandlerCodes: v.coHandlerCodes ?? [],
    confidence: v.confidence,
  };
}

export function RoutingRulesAdmin() {
  const { t, name } = useI18n();
  const list = useLoad((signal) => api.get<{ items: Rule[] }>('/api/admin/routing-rules', undefined, signal), []);
  const { run } = useAction();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const required = { required: true, message: t('common.required') };
  const done = (submitted: boolean) => {
    setEditing(null);
    if (submitted) void list.reload();
  };
  const options = (names: Record<string, readonly [string, string]>) => Object.keys(names).map((v) => ({ value: v, label: name(names, v) }));
  const describe = (m: RuleMatch) => {
    const parts = [
      ...(m.domains ?? []).map((d) => name(DOMAINS, d)),
      ...(m.categoryPrefixes ?? []),
      ...(m.demandTypes ?? []).map((d) => name(DEMAND_TYPES, d)),
      ...(m.regionCodes ?? []).map(regionName),
      ...(m.urgency ? [name(URGENCIES, m.urgency)] : []),
      ...(m.minPeopleAffected ? [`≥${m.minPeopleAffected}人`] : []),
      ...(m.keywords ?? []).map((k) => `“${k}”`),
    ];
    return parts.length ? parts.map((p) => <Tag key={p}>{p}</Tag>) : <Typography.Text type="secondary">{t('admin.matchesAll')}</Typography.Text>;
  };
  const current = editing && editing !== 'new' ? editing : null;

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setEditing('new')}>{t('common.create')}</Button>
      </Space>
      <LoadError error={list.error} retry={() => void list.reload()} />
      <Table<Rule>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('admin.priority'), dataIndex: 'priority' },
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('admin.match'), key: 'match', render: (_, r) => describe(r.match) },
          { title: t('admin.target'), key: 'target', render: (_, r) => (r.target.mode === 'department' ? r.target.departmentCode : t('admin.targetRegion')) },
          { title: t('dispatch.coHandlers'), dataIndex: 'coHandlerCodes', render: (v: string[]) => v.join('、') || '—' },
          { title: t('admin.confidence'), dataIndex: 'confidence', render: (v: string) => t(v === 'sure' ? 'admin.confidence.sure' : 'admin.confidence.review') },
          { title: t('ticket.status'), dataIndex: 'active', render: (v: boolean) => <Tag color={v ? 'green' : 'default'}>{t(v ? 'common.active' : 'common.inactive')}</Tag> },
          { title: t('common.version'), key: 'v', render: (_, r) => `v${r.version} · ${r.updatedBy} · ${formatTime(r.updatedAt)}` },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, r) =>
              r.active && (
                <Space size={4}>
                  <Button size="small" onClick={() => setEditing(r)}>{t('common.edit')}</Button>
                  <Button size="small" danger onClick={() => void run(() => api.post(`/api/admin/routing-rules/${r.id}/retire`), { success: t('common.saved') }).then(() => void list.reload())}>
                    {t('admin.retire')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <DryRun />
      <PromptModal<RuleForm>
        open={!!editing}
        title={current ? `${t('common.edit')} · ${current.name}` : `${t('common.create')} · ${t('admin.routing')}`}
        initialValues={
          current
            ? {
                name: current.name,
                priority: current.priority,
                match: current.match,
                mode: current.target.mode,
                departmentCode: current.target.mode === 'department' ? current.target.departmentCode : undefined,
                coHandlerCodes: current.coHandlerCodes,
                confidence: current.confidence,
              }
            : { mode: 'region-bureau', confidence: 'sure', priority: 900 }
        }
        success={t('common.saved')}
        onSubmit={(v) => (current ? api.put(`/api/admin/routing-rules/${current.id}`, { ...toBody(v), version: current.version }) : api.post('/api/admin/routing-rules', toBody(v)))}
        onDone={done}
      >
        <Row gutter={12}>
          <Col span={16}>
            <Form.Item name="name" label={t('common.name')} rules={[required]}><Input /></Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="priority" label={t('admin.priority')} rules={[required]}><InputNumber min={1} max={1000000} style={{ width: '100%' }} /></Form.Item>
          </Col>
        </Row>
        <Form.Item name={['match', 'domains']} label={t('ticket.domain')}><Select mode="multiple" options={options(DOMAINS)} /></Form.Item>
        <Form.Item name={['match', 'categoryPrefixes']} label={t('admin.categoryPrefixes')}><Select mode="tags" tokenSeparators={[',', ' ']} /></Form.Item>
        <Form.Item name={['match', 'demandTypes']} label={t('ticket.demandType')}><Select mode="multiple" options={options(DEMAND_TYPES)} /></Form.Item>
        <Form.Item name={['match', 'regionCodes']} label={t('ticket.region')}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={REGIONS.map((r) => ({ value: r.code, label: r.name }))} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name={['match', 'urgency']} label={t('ticket.urgency')}><Select allowClear options={options(URGENCIES)} /></Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name={['match', 'minPeopleAffected']} label={t('admin.minPeople')}><InputNumber min={1} max={100000} style={{ width: '100%' }} /></Form.Item>
          </Col>
        </Row>
        <Form.Item name={['match', 'keywords']} label={t('admin.keywords')}><Select mode="tags" tokenSeparators={[',', ' ']} /></Form.Item>
        <Form.Item name="mode" label={t('admin.targetMode')}>
          <Radio.Group options={[{ value: 'region-bureau', label: t('admin.targetRegion') }, { value: 'department', label: t('admin.targetDepartment') }]} />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.mode !== b.mode}>
          {({ getFieldValue }) =>
            getFieldValue('mode') === 'department' && (
              <Form.Item name="departmentCode" label={t('common.code')} rules={[required]}><Input placeholder="JCZD" /></Form.Item>
            )
          }
        </Form.Item>
        <Form.Item name="coHandlerCodes" label={t('dispatch.coHandlers')} extra="REGION = 属地人力社保局"><Select mode="tags" tokenSeparators={[',', ' ']} /></Form.Item>
        <Form.Item name="confidence" label={t('admin.confidence')}>
          <Radio.Group options={[{ value: 'sure', label: t('admin.confidence.sure') }, { value: 'review', label: t('admin.confidence.review') }]} />
        </Form.Item>
      </PromptModal>
    </>
  );
}

interface RoutedDepartment {
  id: string;
  code: string;
  name: string;
}

interface DryRunResult {
  decision:
    | { kind: 'assign'; main: RoutedDepartment; coHandlers: RoutedDepartment[]; ruleId: string; ruleVersion: number; reason: string }
    | { kind: 'review'; suggested: RoutedDepartment | null; ruleId: string | null; reason: string };
  trace: { ruleId: string; name: string; matched: boolean; why: string }[];
}

/** Where would this ticket go, and why: nothing is written. */
function DryRun() {
  const { t, name } = useI18n();
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const [result, setResult] = useState<DryRunResult | null>(null);
  const options = (names: Record<string, readonly [string, string]>) => Object.keys(names).map((v) => ({ value: v, label: name(names, v) }));
  return (
    <Card size="small" title={t('admin.dryRun')} style={{ marginTop: 16 }}>
      <Form
        form={form}
        layout="inline"
        initialValues={{ urgency: 'normal', demandType: 'complaint', domain: 'wage-arrears', regionCode: '500103' }}
        onFinish={async (v: Record<string, unknown>) => {
          const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== ''));
          const answer = await run(() => api.post<DryRunResult>('/api/admin/routing-rules/dry-run', body), { form });
          if (answer) setResult(answer);
        }}
      >
        <Form.Item name="regionCode"><Select style={{ width: 140 }} showSearch={{ optionFilterProp: 'label' }} options={REGIONS.map((r) => ({ value: r.code, label: r.name }))} /></Form.Item>
        <Form.Item name="domain"><Select style={{ width: 130 }} options={options(DOMAINS)} /></Form.Item>
        <Form.Item name="demandType"><Select style={{ width: 100 }} options={options(DEMAND_TYPES)} /></Form.Item>
        <Form.Item name="urgency"><Select style={{ width: 90 }} options={options(URGENCIES)} /></Form.Item>
        <Form.Item name="categoryCode"><Input placeholder={t('ticket.category')} style={{ width: 110 }} /></Form.Item>
        <Form.Item name="peopleAffected"><InputNumber placeholder={t('ticket.peopleAffected')} min={1} /></Form.Item>
        <Form.Item name="content"><Input placeholder={t('ticket.content')} style={{ width: 200 }} /></Form.Item>
        <Button htmlType="submit" type="primary" loading={busy}>{t('admin.dryRun')}</Button>
      </Form>
      {result && (
        <Alert
          style={{ marginTop: 12 }}
          type={result.decision.kind === 'assign' ? 'success' : 'warning'}
          data-testid="dry-run-result"
          title={
            <Space wrap size={4}>
              <span>{t('admin.dryRunResult')}：</span>
              {result.decision.kind === 'assign' ? (
                <>
                  <Tag color="blue">{t('admin.confidence.sure')}</Tag>
                  <Typography.Text strong>{result.decision.main.name}</Typography.Text>
                  {result.decision.coHandlers.length > 0 && (
                    <span>
                      {t('dispatch.coHandlers')}：{result.decision.coHandlers.map((d) => d.name).join('、')}
                    </span>
                  )}
                </>
              ) : (
                <>
                  <Tag color="gold">{t('admin.confidence.review')}</Tag>
                  {result.decision.suggested && (
                    <span>
                      {t('dispatch.suggested')}：<Typography.Text strong>{result.decision.suggested.name}</Typography.Text>
                    </span>
                  )}
                </>
              )}
              <Typography.Text type="secondary">{result.decision.reason}</Typography.Text>
            </Space>
          }
          description={
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {result.trace.map((e) => (
                <li key={e.ruleId}>
                  <Tag color={e.matched ? 'green' : 'default'}>{e.matched ? '✓' : '—'}</Tag>
                  {e.name}：{e.why}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </Card>
  );
}
