import { Alert, Button, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useAction, useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { CHANNEL_KEY_CHANNELS, CHANNELS } from '../i18n/labels';
import { PromptModal } from '../shared/PromptModal';
import { formatTime } from '../shared/time';
import { LoadError } from '../shared/ui';

interface ChannelKey {
  id: string;
  name: string;
  channel: string;
  keyPrefix: string;
  ratePerMinute: number;
  createdAt: string;
  revokedAt: string | null;
}

/** 渠道密钥 — keys of direct-report points and partner systems; the key is shown once. */
export function ChannelKeysAdmin() {
  const { t, name } = useI18n();
  const list = useLoad((signal) => api.get<ChannelKey[]>('/api/admin/channel-keys', undefined, signal), []);
  const { run } = useAction();
  const [creating, setCreating] = useState(false);
  const [newKey, setNewKey] = useState<string | null>(null);
  const required = { required: true, message: t('common.required') };
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setCreating(true)}>{t('common.create')}</Button>
      </Space>
      {newKey && (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setNewKey(null) }}
          style={{ marginBottom: 12 }}
          title={t('admin.newKey')}
          description={<Typography.Text copyable code>{newKey}</Typography.Text>}
        />
      )}
      <LoadError error={list.error} retry={() => void list.reload()} />
      <Table<ChannelKey>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('admin.keyName'), dataIndex: 'name' },
          { title: t('ticket.channel'), dataIndex: 'channel', render: (v: string) => name(CHANNELS, v) },
          { title: t('admin.prefix'), dataIndex: 'keyPrefix', render: (v: string) => <code>{v}…</code> },
          { title: t('admin.rate'), dataIndex: 'ratePerMinute' },
          { title: t('admin.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
          { title: t('ticket.status'), dataIndex: 'revokedAt', render: (v: string | null) => (v ? <Tag>{t('admin.revoked')} {formatTime(v)}</Tag> : <Tag color="green">{t('common.active')}</Tag>) },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, k) =>
              !k.revokedAt && (
                <Button size="small" danger onClick={() => void run(() => api.post(`/api/admin/channel-keys/${k.id}/revoke`), { success: t('common.saved') }).then(() => void list.reload())}>
                  {t('admin.revoke')}
                </Button>
              ),
          },
        ]}
      />
      <PromptModal<{ name: string; channel: string; ratePerMinute: number }>
        open={creating}
        title={`${t('common.create')} · ${t('admin.channelKeys')}`}
        initialValues={{ ratePerMinute: 60, channel: 'direct-report' }}
        success={t('common.saved')}
        onSubmit={async (v) => {
          const created = await api.post<{ key: string }>('/api/admin/channel-keys', v);
          setNewKey(created.key);
        }}
        onDone={(submitted) => {
          setCreating(false);
          if (submitted) void list.reload();
        }}
      >
        <Form.Item name="name" label={t('admin.keyName')} rules={[required]}><Input /></Form.Item>
        <Form.Item name="channel" label={t('ticket.channel')} rules={[required]}>
          <Select options={CHANNEL_KEY_CHANNELS.map((c) => ({ value: c, label: name(CHANNELS, c) }))} />
        </Form.Item>
        <Form.Item name="ratePerMinute" label={t('admin.rate')}><InputNumber min={1} max={10000} /></Form.Item>
      </PromptModal>
    </>
  );
}
