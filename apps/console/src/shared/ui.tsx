import { Alert, Button, Empty, Tag } from 'antd';
import { ReactNode, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { useErrorText } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { STATUSES, URGENCIES } from '../i18n/labels';
import { Department, departments } from '../reference/reference-data';
import { formatTime } from './time';

/** A failed load with a retry button; nothing when there is no error. */
export function LoadError({ error, retry }: { error: ApiError | undefined; retry: () => void }) {
  const { t } = useI18n();
  const text = useErrorText();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={t('common.emptyRetry')}
      description={text(error)}
      action={<Button size="small" onClick={retry}>{t('common.retry')}</Button>}
      style={{ marginBottom: 12 }}
    />
  );
}

/** An empty list that says what to do next. */
export function EmptyHint({ text }: { text: string }) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />;
}

export function StatusTag({ status }: { status: string }) {
  const { name } = useI18n();
  const colour: Record<string, string> = {
    received: 'default',
    assigned: 'blue',
    accepted: 'processing',
    replied: 'purple',
    callback: 'cyan',
    'awaiting-callback': 'cyan',
    closed: 'success',
    'resolved-on-call': 'success',
    reopened: 'magenta',
    returned: 'orange',
    'awaiting-dispatch': 'gold',
  };
  return <Tag color={colour[status] ?? 'default'}>{name(STATUSES, status)}</Tag>;
}

export function UrgencyTag({ urgency }: { urgency: string }) {
  const { name } = useI18n();
  return urgency === 'urgent' ? <Tag color="red">{name(URGENCIES, urgency)}</Tag> : <Tag>{name(URGENCIES, urgency)}</Tag>;
}

/** A due time coloured as the supervisors see it: red when overdue, gold when warned. */
export function DueText({ due, overdue, warning }: { due: string | null; overdue?: boolean; warning?: boolean }) {
  const { t } = useI18n();
  if (!due) return <span>—</span>;
  return (
    <span>
      {formatTime(due)}{' '}
      {overdue ? <Tag color="red">{t('ticket.overdue')}</Tag> : warning ? <Tag color="gold">{t('ticket.warning')}</Tag> : null}
    </span>
  );
}

/** id → department, for the tables that only carry ids. */
export function useDepartments(): Map<string, Department> {
  const [map, setMap] = useState<Map<string, Department>>(new Map());
  useEffect(() => {
    let live = true;
    departments
      .get()
      .then((list) => live && setMap(new Map(list.map((d) => [d.id, d]))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return map;
}

export function Section({ children }: { children: ReactNode }) {
  return <div style={{ marginBottom: 16 }}>{children}</div>;
}
