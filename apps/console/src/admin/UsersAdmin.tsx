import { Button, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, SessionUser } from '../api/client';
import { useAction, useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { ROLES } from '../i18n/labels';
import { REGIONS, regionName } from '../reference/regions';
import { PromptModal } from '../shared/PromptModal';
import { LoadError, useDepartments } from '../shared/ui';

type User = SessionUser & { disabled: boolean };

interface UserForm {
  username: string;
  displayName: string;
  role: string;
  departmentId?: string;
  regionCode?: string;
  password: string;
}

export function UsersAdmin() {
  const { t, name } = useI18n();
  const departments = useDepartments();
  const list = useLoad((signal) => api.get<User[]>('/api/admin/users', undefined, signal), []);
  const { run } = useAction();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const required = { required: true, message: t('common.required') };
  const done = (submitted: boolean) => {
    setEditing(null);
    setResetting(null);
    if (submitted) void list.reload();
  };
  const deptOptions = [...departments.values()].map((d) => ({ value: d.id, label: d.name }));
  const roleOptions = Object.keys(ROLES).map((r) => ({ value: r, label: name(ROLES, r) }));
  const regionOptions = REGIONS.map((r) => ({ value: r.code, label: r.name }));
  const current = editing && editing !== 'new' ? editing : null;
  const fields = (creating: boolean) => (
    <>
      {creating && (
        <Form.Item name="username" label={t('admin.username')} rules={[required]}>
          <Input autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="displayName" label={t('admin.displayName')} rules={[required]}>
        <Input />
      </Form.Item>
      <Form.Item name="role" label={t('admin.role')} rules={[required]}>
        <Select options={roleOptions} />
      </Form.Item>
      <Form.Item name="departmentId" label={t('ticket.department')}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={deptOptions} />
      </Form.Item>
      <Form.Item name="regionCode" label={t('admin.region')}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={regionOptions} />
      </Form.Item>
      {creating && (
        <Form.Item name="password" label={t('admin.password')} rules={[required, { min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      )}
    </>
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setEditing('new')}>{t('common.create')}</Button>
      </Space>
      <LoadError error={list.error} retry={() => void list.reload()} />
      <Table<User>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('admin.username'), dataIndex: 'username' },
          { title: t('admin.displayName'), dataIndex: 'displayName' },
          { title: t('admin.role'), dataIndex: 'role', render: (v: string) => name(ROLES, v) },
          { title: t('ticket.department'), dataIndex: 'departmentId', render: (v?: string) => (v ? (departments.get(v)?.name ?? '—') : '—') },
          { title: t('admin.region'), dataIndex: 'regionCode', render: (v?: string) => (v ? regionName(v) : '—') },
          { title: t('ticket.status'), dataIndex: 'disabled', render: (v: boolean) => (v ? <Tag>{t('admin.disabled')}</Tag> : <Tag color="green">{t('common.active')}</Tag>) },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, u) => (
              <Space size={4}>
                <Button size="small" onClick={() => setEditing(u)}>{t('common.edit')}</Button>
                <Button
                  size="small"
                  onClick={() =>
                    void run(() => api.post(`/api/admin/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`), { success: t('common.saved') }).then(() => void list.reload())
                  }
                >
                  {t(u.disabled ? 'admin.enable' : 'admin.disable')}
                </Button>
                <Button size="small" onClick={() => setResetting(u)}>{t('admin.resetPassword')}</Button>
              </Space>
            ),
          },
        ]}
      />
      <PromptModal<UserForm>
        open={editing === 'new'}
        title={`${t('common.create')} · ${t('admin.users')}`}
        success={t('common.saved')}
        onSubmit={(v) => api.post('/api/admin/users', v)}
        onDone={done}
      >
        {fields(true)}
      </PromptModal>
      <PromptModal<Partial<UserForm>>
        open={!!current}
        title={`${t('common.edit')} · ${current?.username ?? ''}`}
        initialValues={current ? { displayName: current.displayName, role: current.role, departmentId: current.departmentId, regionCode: current.regionCode } : undefined}
        success={t('common.saved')}
        onSubmit={(v) =>
          api.put(`/api/admin/users/${current?.id}`, { ...v, departmentId: v.departmentId ?? null, regionCode: v.regionCode ?? null })
        }
        onDone={done}
      >
        {fields(false)}
      </PromptModal>
      <PromptModal<{ password: string }>
        open={!!resetting}
        title={`${t('admin.resetPassword')} · ${resetting?.username ?? ''}`}
        success={t('common.saved')}
        onSubmit={(v) => api.post(`/api/admin/users/${resetting?.id}/reset-password`, v)}
        onDone={done}
      >
        <Form.Item name="password" label={t('login.password')} rules={[required, { min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </PromptModal>
    </>
  );
}
