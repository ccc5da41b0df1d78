import { App, Button, Input, Space, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useAction, useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { SATISFACTIONS, STATUSES } from '../i18n/labels';
import { regionName } from '../reference/regions';
import { TicketDrawer } from '../shared/TicketDrawer';
import { DueText } from '../shared/ui';
import { ListTable } from '../shared/ListTable';

interface CallbackItem {
  id: string;
  number: string;
  regionCode: string;
  attempts: number;
  resolvedOnCall: boolean;
  /** 回访时限: by when the citizen is to be called back (none for a consultation answered on the call). */
  deadline: string | null;
  warning: boolean;
  overdue: boolean;
}

/**
 * 回访清单 — one click records what the citizen said; the note is optional. Used by operators
 * (their desk) and supervisors (the board).
 */
export function CallbackList() {
  const { t, name } = useI18n();
  const list = useLoad((signal) => api.get<{ items: CallbackItem[] }>('/api/supervision/callbacks', undefined, signal), []);
  const { run, busy } = useAction();
  const { message } = App.useApp();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [open, setOpen] = useState<string | null>(null);

  const record = async (item: CallbackItem, satisfaction: string) => {
    const answer = await run(
      () => api.post<{ status: string }>(`/api/tickets/${item.id}/callback`, { satisfaction, note: notes[item.id] ?? '' }),
    );
    if (!answer) return;
    // The answer's status is the supervision state: closed, handling (reopened) or awaiting-callback.
    void message.success(t('desk.callbackRecorded', { status: name(STATUSES, answer.status) }));
    setNotes((n) => ({ ...n, [item.id]: '' }));
    void list.reload();
  };

  return (
    <>
      <ListTable<CallbackItem>
        loaded={list}
        rows={list.data?.items ?? []}
        empty={t('desk.callbacksEmpty')}
        rowKey="id"
        data-testid="callback-list"
        columns={[
          {
            title: t('ticket.number'),
            dataIndex: 'number',
            render: (v: string, item) => <a onClick={() => setOpen(item.id)}>{v}</a>,
          },
          { title: t('ticket.region'), dataIndex: 'regionCode', render: (v: string) => regionName(v) },
          {
            title: t('desk.callbackDue'),
            dataIndex: 'deadline',
            render: (v: string | null, item) => <DueText due={v} overdue={item.overdue} warning={item.warning} />,
          },
          { title: t('desk.attempts'), dataIndex: 'attempts' },
          {
            title: t('ticket.flags'),
            dataIndex: 'resolvedOnCall',
            render: (v: boolean) => (v ? <Tag color="green">{t('desk.resolvedOnCall')}</Tag> : null),
          },
          {
            title: t('desk.callbackNote'),
            key: 'note',
            render: (_, item) => (
              <Input
                size="small"
                aria-label={t('desk.callbackNote')}
                value={notes[item.id] ?? ''}
                onChange={(e) => setNotes((n) => ({ ...n, [item.id]: e.target.value }))}
              />
            ),
          },
          {
            title: t('desk.recordCallback'),
            key: 'actions',
            render: (_, item) => (
              <Space size={4} wrap>
                {Object.keys(SATISFACTIONS).map((s) => (
                  <Button
                    key={s}
                    size="small"
                    disabled={busy}
                    type={s === 'satisfied' ? 'primary' : 'default'}
                    danger={s === 'unsatisfied'}
                    onClick={() => void record(item, s)}
                  >
                    {name(SATISFACTIONS, s)}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
      <TicketDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}
