import { Button, Form, Input, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { Department, departments as departmentCache } from '../reference/reference-data';
import { regionName } from '../reference/regions';
import { PromptModal } from '../shared/PromptModal';
import { LoadError } from '../shared/ui';

export function DepartmentsAdmin() {
  const { t } = useI18n();
  const list = useLoad((signal) => api.get<Department[]>('/api/admin/departments', undefined, signal), []);
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const required = { required: true, message: t('common.required') };
  const done = (submitted: boolean) => {
    setEditing(null);
    if (submitted) {
      departmentCache.forget();
      void list.reload();
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setEditing('new')}>{t('common.create')}</Button>
      </Space>
      <LoadError error={list.error} retry={() => void list.reload()} />
      <Table<Department>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('common.code'), dataIndex: 'code' },
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('admin.kind'), dataIndex: 'kind', render: (v: string) => t(v === 'region-bureau' ? 'admin.regionBureau' : 'admin.municipalOffice') },
          { title: t('admin.region'), dataIndex: 'regionCode', render: (v: string | null) => (v ? regionName(v) : '—') },
          { title: t('ticket.status'), dataIndex: 'active', render: (v: boolean) => <Tag color={v ? 'green' : 'default'}>{t(v ? 'common.active' : 'common.inactive')}</Tag> },
          { title: t('common.version'), dataIndex: 'version' },
          { title: t('common.actions'), key: 'a', render: (_, d) => <Button size="small" onClick={() => setEditing(d)}>{t('common.edit')}</Button> },
        ]}
      />
      <PromptModal<{ code: string; name: string }>
        open={editing === 'new'}
        title={`${t('common.create')} · ${t('admin.departments')}`}
        success={t('common.saved')}
        onSubmit={(v) => api.post('/api/admin/departments', v)}
        onDone={done}
      >
        <Form.Item name="code" label={t('common.code')} rules={[required]} extra="RSKS">
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[required]}>
          <Input />
        </Form.Item>
      </PromptModal>
      <PromptModal<{ name: string; active: boolean }>
        open={!!editing && editing !== 'new'}
        title={`${t('common.edit')} · ${editing && editing !== 'new' ? editing.name : ''}`}
        initialValues={editing && editing !== 'new' ? { name: editing.name, active: editing.active } : undefined}
        success={t('common.saved')}
        onSubmit={(v) => (editing && editing !== 'new' ? api.put(`/api/admin/departments/${editing.id}`, { ...v, version: editing.version }) : Promise.resolve())}
        onDone={done}
      >
        <Form.Item name="name" label={t('common.name')} rules={[required]}>
          <Input />
        </Form.Item>
        <Form.Item name="active" label={t('common.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </PromptModal>
    </>
  );
}
