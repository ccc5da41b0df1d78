import { Button, Col, Form, Input, InputNumber, Row, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { DEMAND_TYPES, SLA_UNITS, URGENCIES } from '../i18n/labels';
import { PromptModal } from '../shared/PromptModal';
import { formatTime } from '../shared/time';
import { LoadError } from '../shared/ui';

interface Limit {
  amount: number;
  unit: string;
}

interface SlaRule {
  demandType: string;
  urgency: string;
  signFor: Limit;
  reply: Limit;
  warningFraction: number;
  listingAfterWorkingDays: number;
  repeatsForSupervision: number;
}

interface Policies {
  currentVersion: number | null;
  versions: { version: number; changedBy: string; changedAt: string; note: string; rules: SlaRule[] }[];
}

const UNITS = ['working-days', 'hours', 'minutes'];

/** 时限策略 — publishing a changed rule makes a new version; running clocks keep theirs. */
export function SlaPoliciesAdmin() {
  const { t, name } = useI18n();
  const policies = useLoad((signal) => api.get<Policies>('/api/admin/sla-policies', undefined, signal), []);
  const [editing, setEditing] = useState<SlaRule | null>(null);
  const current = policies.data?.versions.find((v) => v.version === policies.data?.currentVersion);
  const limit = (l: Limit) => `${l.amount} ${name(SLA_UNITS, l.unit)}`;
  const required = { required: true, message: t('common.required') };
  const unitOptions = UNITS.map((u) => ({ value: u, label: name(SLA_UNITS, u) }));
  return (
    <>
      <LoadError error={policies.error} retry={() => void policies.reload()} />
      {current && (
        <Typography.Paragraph type="secondary">
          {t('admin.currentVersion', { v: current.version })} · {current.changedBy} · {formatTime(current.changedAt)} · {current.note}
        </Typography.Paragraph>
      )}
      <Table<SlaRule>
        rowKey={(r) => `${r.demandType}/${r.urgency}`}
        size="small"
        loading={policies.loading}
        dataSource={current?.rules ?? []}
        pagination={false}
        columns={[
          { title: t('ticket.demandType'), dataIndex: 'demandType', render: (v: string) => name(DEMAND_TYPES, v) },
          { title: t('ticket.urgency'), dataIndex: 'urgency', render: (v: string) => name(URGENCIES, v) },
          { title: t('admin.signFor'), dataIndex: 'signFor', render: limit },
          { title: t('admin.reply'), dataIndex: 'reply', render: limit },
          { title: t('admin.warningFraction'), dataIndex: 'warningFraction', render: (v: number) => `${Math.round(v * 100)}%` },
          { title: t('admin.listingAfter'), dataIndex: 'listingAfterWorkingDays' },
          { title: t('admin.repeatsFor'), dataIndex: 'repeatsForSupervision' },
          { title: t('common.actions'), key: 'a', render: (_, r) => <Button size="small" onClick={() => setEditing(r)}>{t('common.edit')}</Button> },
        ]}
      />
      <PromptModal<SlaRule & { note: string }>
        open={!!editing}
        title={`${t('admin.publishNew')} · ${editing ? `${name(DEMAND_TYPES, editing.demandType)} / ${name(URGENCIES, editing.urgency)}` : ''}`}
        initialValues={editing ?? undefined}
        success={t('common.saved')}
        onSubmit={({ note, ...rule }) => api.put('/api/admin/sla-policies', { rules: [{ ...rule, demandType: editing?.demandType, urgency: editing?.urgency }], note })}
        onDone={(submitted) => {
          setEditing(null);
          if (submitted) void policies.reload();
        }}
      >
        {(['signFor', 'reply'] as const).map((clock) => (
          <Row gutter={8} key={clock}>
            <Col span={12}>
              <Form.Item name={[clock, 'amount']} label={t(clock === 'signFor' ? 'admin.signFor' : 'admin.reply')} rules={[required]}>
                <InputNumber min={1} max={1000} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name={[clock, 'unit']} label=" " rules={[required]}>
                <Select options={unitOptions} />
              </Form.Item>
            </Col>
          </Row>
        ))}
        <Space wrap>
          <Form.Item name="warningFraction" label={t('admin.warningFraction')} rules={[required]}>
            <InputNumber min={0.05} max={0.95} step={0.05} />
          </Form.Item>
          <Form.Item name="listingAfterWorkingDays" label={t('admin.listingAfter')}>
            <InputNumber min={1} max={60} />
          </Form.Item>
          <Form.Item name="repeatsForSupervision" label={t('admin.repeatsFor')}>
            <InputNumber min={1} max={50} />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t('common.note')} rules={[required]}>
          <Input />
        </Form.Item>
      </PromptModal>
    </>
  );
}
