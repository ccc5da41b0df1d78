import { Button, DatePicker, Form, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api/client';
import { useAction, useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { PromptModal } from '../shared/PromptModal';
import { formatTime } from '../shared/time';
import { LoadError } from '../shared/ui';

interface Override {
  date: string;
  kind: 'holiday' | 'make-up-workday';
  name: string;
  reason: string;
  active: boolean;
  version: number;
  changedBy?: string;
  changedAt?: string;
}

interface CalendarView {
  source: string;
  officeHours: string;
  confirmedYears: number[];
  overrides: Override[];
}

/** 工作日历 — local corrections to the State Council's calendar, and replaying open clocks after one. */
export function CalendarAdmin() {
  const { t } = useI18n();
  const view = useLoad((signal) => api.get<CalendarView>('/api/admin/calendar', undefined, signal), []);
  const { run, busy } = useAction();
  const [adding, setAdding] = useState(false);
  const [recompute, setRecompute] = useState(false);
  const [moved, setMoved] = useState<number | null>(null);
  const required = { required: true, message: t('common.required') };
  const put = (override: Partial<Override>) => api.put('/api/admin/calendar', { overrides: [override] });
  return (
    <>
      <LoadError error={view.error} retry={() => void view.reload()} />
      <Space style={{ marginBottom: 12 }} wrap>
        <Button type="primary" onClick={() => setAdding(true)}>{t('common.create')}</Button>
        <Button onClick={() => setRecompute(true)}>{t('admin.recompute')}</Button>
        {view.data && <Typography.Text type="secondary">{t('admin.confirmedYears', { years: view.data.confirmedYears.join('、') })} · {view.data.officeHours}</Typography.Text>}
        {moved !== null && <Tag color="blue">{t('admin.moved', { n: moved })}</Tag>}
      </Space>
      <Table<Override>
        rowKey="date"
        size="small"
        loading={view.loading}
        dataSource={view.data?.overrides ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('admin.date'), dataIndex: 'date' },
          { title: t('admin.dayKind'), dataIndex: 'kind', render: (v: string) => t(v === 'holiday' ? 'admin.holiday' : 'admin.makeUp') },
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('common.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('ticket.status'), dataIndex: 'active', render: (v: boolean) => <Tag color={v ? 'green' : 'default'}>{t(v ? 'common.active' : 'common.inactive')}</Tag> },
          { title: t('common.version'), key: 'v', render: (_, o) => `v${o.version}${o.changedBy ? ` · ${o.changedBy}` : ''}${o.changedAt ? ` · ${formatTime(o.changedAt)}` : ''}` },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, o) => (
              <Button
                size="small"
                loading={busy}
                onClick={() => void run(() => put({ date: o.date, kind: o.kind, name: o.name, reason: o.reason, active: !o.active, version: o.version }), { success: t('common.saved') }).then(() => void view.reload())}
              >
                {t(o.active ? 'admin.withdraw' : 'admin.enable')}
              </Button>
            ),
          },
        ]}
      />
      <PromptModal<{ date: Dayjs; kind: Override['kind']; name: string; reason: string }>
        open={adding}
        title={`${t('common.create')} · ${t('admin.calendar')}`}
        initialValues={{ kind: 'holiday' }}
        success={t('common.saved')}
        onSubmit={(v) => put({ ...v, date: v.date.format('YYYY-MM-DD'), version: 0 })}
        onDone={(submitted) => {
          setAdding(false);
          if (submitted) void view.reload();
        }}
      >
        <Form.Item name="date" label={t('admin.date')} rules={[required]}><DatePicker /></Form.Item>
        <Form.Item name="kind" label={t('admin.dayKind')}>
          <Radio.Group options={[{ value: 'holiday', label: t('admin.holiday') }, { value: 'make-up-workday', label: t('admin.makeUp') }]} />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[required]}><Input /></Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[required]}><Input.TextArea rows={2} /></Form.Item>
      </PromptModal>
      <PromptModal<{ reason: string; dryRun: boolean }>
        open={recompute}
        title={t('admin.recompute')}
        initialValues={{ dryRun: true }}
        success={t('common.done')}
        onSubmit={async (v) => {
          const answer = await api.post<{ moved: unknown[] }>('/api/admin/sla-clocks/recompute', v);
          setMoved(answer.moved?.length ?? 0);
        }}
        onDone={() => setRecompute(false)}
      >
        <Form.Item name="dryRun" label={t('admin.recompute')}>
          <Radio.Group options={[{ value: true, label: t('admin.recomputeDry') }, { value: false, label: t('admin.recompute') }]} />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[required]}><Input /></Form.Item>
      </PromptModal>
    </>
  );
}
