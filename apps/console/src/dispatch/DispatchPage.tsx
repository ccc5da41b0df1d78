import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { DEMAND_TYPES, DOMAINS } from '../i18n/labels';
import { regionName } from '../reference/regions';
import { PromptModal } from '../shared/PromptModal';
import { TicketDrawer } from '../shared/TicketDrawer';
import { formatTime } from '../shared/time';
import { StatusTag, UrgencyTag, useDepartments } from '../shared/ui';
import { ListTable } from '../shared/ListTable';

interface QueueItem {
  id: string;
  number: string;
  title: string | null;
  status: 'awaiting-dispatch' | 'returned';
  urgency: string;
  domain: string;
  demandType: string;
  regionCode: string;
  receivedAt: string;
  departmentId: string | null;
  suggestedDepartmentId: string | null;
  returnReason: string | null;
  returnCount: number;
}

type Dialog = { kind: 'dispatch' | 'accept-return' | 'reject-return'; item: QueueItem } | null;

/** 派单台 — tickets the rules left to a person, and returns to judge (退单审核). */
export function DispatchPage() {
  const { t, name } = useI18n();
  const departments = useDepartments();
  const queue = useLoad((signal) => api.get<{ items: QueueItem[] }>('/api/assignment/dispatch-queue', undefined, signal), []);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const options = [...departments.values()].map((d) => ({ value: d.id, label: `${d.name}（${d.code}）` }));
  const required = { required: true, message: t('common.required') };
  const deptName = (id: string | null) => (id ? (departments.get(id)?.name ?? '—') : '—');
  const done = (submitted: boolean) => {
    setDialog(null);
    if (submitted) void queue.reload();
  };
  const item = dialog?.item;

  return (
    <Card
      title={t('dispatch.title')}
      size="small"
      extra={<Button icon={<ReloadOutlined />} onClick={() => void queue.reload()}>{t('common.refresh')}</Button>}
    >
      <ListTable<QueueItem>
        loaded={queue}
        rows={queue.data?.items ?? []}
        empty={t('dispatch.empty')}
        rowKey="id"
        columns={[
          { title: t('ticket.number'), dataIndex: 'number', render: (v: string, r) => <a onClick={() => setOpenId(r.id)}>{v}</a> },
          { title: t('ticket.title'), dataIndex: 'title', ellipsis: true },
          { title: t('ticket.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
          {
            title: t('ticket.demandType'),
            key: 'kind',
            render: (_, r) => (
              <Space size={2}>
                <Tag>{name(DEMAND_TYPES, r.demandType)}</Tag>
                <span>{name(DOMAINS, r.domain)}</span>
                <UrgencyTag urgency={r.urgency} />
              </Space>
            ),
          },
          { title: t('ticket.region'), dataIndex: 'regionCode', render: (v: string) => regionName(v) },
          { title: t('dispatch.suggested'), key: 'suggested', render: (_, r) => deptName(r.suggestedDepartmentId ?? r.departmentId) },
          { title: t('dispatch.returnReason'), dataIndex: 'returnReason', ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('ticket.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => formatTime(v) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) =>
              r.status === 'returned' ? (
                <Space size={4}>
                  <Button size="small" type="primary" onClick={() => setDialog({ kind: 'accept-return', item: r })}>{t('dispatch.acceptReturn')}</Button>
                  <Button size="small" onClick={() => setDialog({ kind: 'reject-return', item: r })}>{t('dispatch.rejectReturn')}</Button>
                </Space>
              ) : (
                <Button size="small" type="primary" onClick={() => setDialog({ kind: 'dispatch', item: r })}>{t('dispatch.dispatch')}</Button>
              ),
          },
        ]}
      />
      <PromptModal<{ departmentId: string; coHandlerIds?: string[]; reason: string }>
        open={dialog?.kind === 'dispatch'}
        title={`${t('dispatch.dispatch')} · ${item?.number ?? ''}`}
        initialValues={{ departmentId: item?.suggestedDepartmentId ?? undefined }}
        success={t('dispatch.done')}
        onSubmit={(v) => api.post(`/api/tickets/${item?.id}/dispatch`, { ...v, coHandlerIds: v.coHandlerIds ?? [] })}
        onDone={done}
      >
        <Form.Item name="departmentId" label={t('ticket.department')} rules={[required]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={options} />
        </Form.Item>
        <Form.Item name="coHandlerIds" label={t('dispatch.coHandlers')}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={options} />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[required]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </PromptModal>
      <PromptModal<{ departmentId?: string; reason: string }>
        open={dialog?.kind === 'accept-return' || dialog?.kind === 'reject-return'}
        title={`${t(dialog?.kind === 'accept-return' ? 'dispatch.acceptReturn' : 'dispatch.rejectReturn')} · ${item?.number ?? ''}`}
        success={t('common.done')}
        onSubmit={(v) => api.post(`/api/tickets/${item?.id}/return-decision`, { accept: dialog?.kind === 'accept-return', reason: v.reason, ...(v.departmentId ? { departmentId: v.departmentId } : {}) })}
        onDone={done}
      >
        {dialog?.kind === 'accept-return' && (
          <Form.Item name="departmentId" label={t('ticket.department')} rules={[required]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={options} />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('common.reason')} rules={[required]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </PromptModal>
      <TicketDrawer id={openId} onClose={() => setOpenId(null)} />
    </Card>
  );
}
