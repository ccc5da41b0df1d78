import { Button, DatePicker, Form, Input, Select, Space, Table, Tag } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api/client';
import { useAction, useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { DOMAINS } from '../i18n/labels';
import { PromptModal } from '../shared/PromptModal';
import { formatTime, today } from '../shared/time';
import { LoadError } from '../shared/ui';

interface Entry {
  id: string;
  question: string;
  answer: string;
  domain: string;
  keywords: string[];
  source: string;
  validFrom: string;
  validTo: string | null;
  version: number;
  active: boolean;
  inForce: boolean;
  updatedAt: string;
  updatedBy: string;
}

interface EntryForm {
  question: string;
  answer: string;
  domain: string;
  keywords?: string[];
  source: string;
  validFrom: Dayjs;
  validTo?: Dayjs | null;
}

/** 问答库维护 — every change is a new version; retired answers stop being suggested at once. */
export function KnowledgeAdmin() {
  const { t, name } = useI18n();
  const [domain, setDomain] = useState<string>();
  const list = useLoad((signal) => api.get<{ items: Entry[]; total: number }>('/api/admin/knowledge', { domain, pageSize: 200 }, signal), [domain]);
  const { run } = useAction();
  const [editing, setEditing] = useState<Entry | 'new' | null>(null);
  const required = { required: true, message: t('common.required') };
  const current = editing && editing !== 'new' ? editing : null;
  const toBody = (v: EntryForm) => ({
    question: v.question,
    answer: v.answer,
    domain: v.domain,
    keywords: v.keywords ?? [],
    source: v.source,
    validFrom: v.validFrom.format('YYYY-MM-DD'),
    validTo: v.validTo ? v.validTo.format('YYYY-MM-DD') : null,
  });
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setEditing('new')}>{t('common.create')}</Button>
        <Select allowClear placeholder={t('ticket.domain')} style={{ width: 160 }} value={domain} onChange={setDomain} options={Object.keys(DOMAINS).map((d) => ({ value: d, label: name(DOMAINS, d) }))} />
      </Space>
      <LoadError error={list.error} retry={() => void list.reload()} />
      <Table<Entry>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        expandable={{ expandedRowRender: (e) => <div className="knowledge-answer">{e.answer}</div> }}
        columns={[
          { title: t('admin.question'), dataIndex: 'question' },
          { title: t('ticket.domain'), dataIndex: 'domain', render: (v: string) => name(DOMAINS, v) },
          { title: t('admin.keywords'), dataIndex: 'keywords', render: (v: string[]) => v.map((k) => <Tag key={k}>{k}</Tag>) },
          { title: t('admin.source'), dataIndex: 'source', ellipsis: true },
          { title: t('admin.validFrom'), key: 'valid', render: (_, e) => `${e.validFrom} ~ ${e.validTo ?? ''}` },
          { title: t('ticket.status'), key: 's', render: (_, e) => <Tag color={e.inForce ? 'green' : 'default'}>{e.inForce ? t('admin.inForce') : t('common.inactive')}</Tag> },
          { title: t('common.version'), key: 'v', render: (_, e) => `v${e.version} · ${e.updatedBy} · ${formatTime(e.updatedAt)}` },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, e) => (
              <Space size={4}>
                <Button size="small" onClick={() => setEditing(e)}>{t('common.edit')}</Button>
                {e.active && (
                  <Button size="small" danger onClick={() => void run(() => api.post(`/api/admin/knowledge/${e.id}/retire`), { success: t('common.saved') }).then(() => void list.reload())}>
                    {t('admin.retire')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <PromptModal<EntryForm>
        open={!!editing}
        title={current ? `${t('common.edit')} · v${current.version}` : `${t('common.create')} · ${t('admin.knowledge')}`}
        initialValues={
          current
            ? { ...current, validFrom: dayjs(current.validFrom), validTo: current.validTo ? dayjs(current.validTo) : null }
            : { validFrom: dayjs(today()), keywords: [] }
        }
        success={t('common.saved')}
        onSubmit={(v) => (current ? api.put(`/api/admin/knowledge/${current.id}`, { ...toBody(v), version: current.version }) : api.post('/api/admin/knowledge', toBody(v)))}
        onDone={(submitted) => {
          setEditing(null);
          if (submitted) void list.reload();
        }}
      >
        <Form.Item name="question" label={t('admin.question')} rules={[required]}><Input /></Form.Item>
        <Form.Item name="answer" label={t('admin.answer')} rules={[required]}><Input.TextArea rows={6} /></Form.Item>
        <Form.Item name="domain" label={t('ticket.domain')} rules={[required]}>
          <Select options={Object.keys(DOMAINS).map((d) => ({ value: d, label: name(DOMAINS, d) }))} />
        </Form.Item>
        <Form.Item name="keywords" label={t('admin.keywords')}><Select mode="tags" tokenSeparators={[',', '，', ' ']} /></Form.Item>
        <Form.Item name="source" label={t('admin.source')} rules={[required]}><Input /></Form.Item>
        <Space>
          <Form.Item name="validFrom" label={t('admin.validFrom')} rules={[required]}><DatePicker /></Form.Item>
          <Form.Item name="validTo" label={t('admin.validTo')}><DatePicker /></Form.Item>
        </Space>
      </PromptModal>
    </>
  );
}
