import { Button, Form, Input, InputNumber, Select, Space } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useAction } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { REPLY_OUTCOMES } from '../i18n/labels';
import { PromptModal } from '../shared/PromptModal';

export interface InboxItem {
  id: string;
  number: string;
  title: string | null;
  status: string;
  role: 'main' | 'co';
  coHandlingDone?: boolean;
  urgency: string;
  demandType: string;
  domain: string;
  regionCode: string;
  receivedAt: string;
  assignedAt: string | null;
  due: string | null;
  overdue: boolean;
  /** Past the clock's warning time (预警) and not yet overdue. */
  warning: boolean;
  returnCount: number;
  reopenCount: number;
  note: string | null;
}

type Dialog = 'reply' | 'return' | 'extension' | 'pause' | 'co' | null;

/** What a handler may do with a ticket in its state; the service has the last word (409). */
export function HandlerActions({ item, onChanged }: { item: InboxItem; onChanged: () => void }) {
  const { t, name } = useI18n();
  const { run, busy } = useAction();
  const [dialog, setDialog] = useState<Dialog>(null);
  const unsigned = item.status === 'assigned' || item.status === 'reopened';
  const inHand = item.status === 'accepted';
  const close = (submitted: boolean) => {
    setDialog(null);
    if (submitted) onChanged();
  };
  const required = { required: true, message: t('common.required') };

  if (item.role === 'co') {
    return (
      <>
        <Button type="primary" onClick={() => setDialog('co')} disabled={item.coHandlingDone}>
          {t('inbox.coNote')}
        </Button>
        <PromptModal<{ content: string }>
          open={dialog === 'co'}
          title={t('inbox.coNote')}
          success={t('inbox.coNoted')}
          onSubmit={(v) => api.post(`/api/tickets/${item.id}/co-handling-notes`, v)}
          onDone={close}
        >
          <Form.Item name="content" label={t('inbox.coNote')} rules={[required]}>
            <Input.TextArea rows={4} autoFocus />
          </Form.Item>
        </PromptModal>
      </>
    );
  }

  return (
    <>
      <Space wrap data-testid="handler-actions">
        {unsigned && (
          <Button
            type="primary"
            loading={busy}
            onClick={() => void run(() => api.post(`/api/tickets/${item.id}/accept`), { success: t('inbox.accepted') }).then((r) => r !== undefined && onChanged())}
          >
            {t('inbox.accept')}
          </Button>
        )}
        {inHand && (
          <Button type="primary" onClick={() => setDialog('reply')}>
            {t('inbox.reply')}
          </Button>
        )}
        {(unsigned || inHand) && <Button onClick={() => setDialog('return')}>{t('inbox.return')}</Button>}
        {inHand && <Button onClick={() => setDialog('extension')}>{t('inbox.extension')}</Button>}
        {inHand && <Button onClick={() => setDialog('pause')}>{t('inbox.pause')}</Button>}
      </Space>

      <PromptModal<{ content: string; outcome: string }>
        open={dialog === 'reply'}
        title={`${t('inbox.reply')} · ${item.number}`}
        initialValues={{ outcome: 'resolved' }}
        success={t('inbox.replied')}
        onSubmit={(v) => api.post(`/api/tickets/${item.id}/reply`, v)}
        onDone={close}
      >
        <Form.Item name="outcome" label={t('inbox.outcome')} rules={[required]}>
          <Select options={Object.keys(REPLY_OUTCOMES).map((v) => ({ value: v, label: name(REPLY_OUTCOMES, v) }))} />
        </Form.Item>
        <Form.Item name="content" label={t('inbox.replyContent')} rules={[required, { max: 4000 }]}>
          <Input.TextArea rows={6} id="reply-content" />
        </Form.Item>
      </PromptModal>

      <PromptModal<{ reason: string }>
        open={dialog === 'return'}
        title={`${t('inbox.return')} · ${item.number}`}
        success={t('inbox.returned')}
        onSubmit={(v) => api.post(`/api/tickets/${item.id}/return`, v)}
        onDone={close}
      >
        <Form.Item name="reason" label={t('inbox.returnReason')} rules={[required, { max: 1000 }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </PromptModal>

      <PromptModal<{ workingDays: number; reason: string }>
        open={dialog === 'extension'}
        title={`${t('inbox.extension')} · ${item.number}`}
        initialValues={{ workingDays: 3 }}
        success={t('inbox.extensionAsked')}
        onSubmit={(v) => api.post(`/api/tickets/${item.id}/extension-requests`, v)}
        onDone={close}
      >
        <Form.Item name="workingDays" label={t('inbox.workingDays')} rules={[required]}>
          <InputNumber min={1} max={10} precision={0} />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[required, { max: 1000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </PromptModal>

      <PromptModal<{ reason: string }>
        open={dialog === 'pause'}
        title={`${t('inbox.pause')} · ${item.number}`}
        success={t('inbox.paused')}
        onSubmit={(v) => api.post(`/api/tickets/${item.id}/pause-requests`, v)}
        onDone={close}
      >
        <Form.Item name="reason" label={t('common.reason')} rules={[required, { max: 1000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </PromptModal>
    </>
  );
}
