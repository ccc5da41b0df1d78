import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { DEMAND_TYPES, DOMAINS } from '../i18n/labels';
import { regionName } from '../reference/regions';
import { TicketDrawer } from '../shared/TicketDrawer';
import { formatTime } from '../shared/time';
import { EmptyHint, LoadError } from '../shared/ui';
import { KnowledgeHit, KnowledgePanel } from './KnowledgePanel';
import { NewTicketForm } from './NewTicketForm';

interface DeskTicket {
  id: string;
  number: string;
  title: string | null;
  demandType: string;
  domain: string;
  regionCode: string;
  disposition: string;
  repeatCount: number;
  receivedAt: string;
  caller: { name: string; phone: string };
}

/** 坐席受理 — the live call: the form on the left, what to read out on the right. */
export function DeskPage() {
  const { t, name } = useI18n();
  const [text, setText] = useState({ words: '', domain: undefined as string | undefined });
  const [chosen, setChosen] = useState<KnowledgeHit | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const mine = useLoad((signal) => api.get<{ items: DeskTicket[] }>('/api/intake/tickets', { mine: true }, signal), []);
  const onTextChange = useCallback((words: string, domain: string | undefined) => setText({ words, domain }), []);

  // Alt+N: back to the first field for the next call.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        document.querySelector<HTMLInputElement>('[data-hotkey="new-ticket"]')?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <Row gutter={16}>
      <Col xs={24} xl={14}>
        <NewTicketForm onTextChange={onTextChange} chosenAnswer={chosen} onCreated={() => void mine.reload()} />
      </Col>
      <Col xs={24} xl={10}>
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <KnowledgePanel text={text.words} domain={text.domain} onUse={setChosen} />
          <Card
            size="small"
            title={t('desk.today')}
            extra={<Button size="small" icon={<ReloadOutlined />} onClick={() => void mine.reload()} aria-label={t('common.refresh')} />}
          >
            <LoadError error={mine.error} retry={() => void mine.reload()} />
            <Table<DeskTicket>
              rowKey="id"
              size="small"
              loading={mine.loading}
              dataSource={mine.data?.items ?? []}
              pagination={{ pageSize: 8, hideOnSinglePage: true }}
              locale={{ emptyText: <EmptyHint text={t('desk.todayEmpty')} /> }}
              data-testid="desk-today"
              onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('ticket.number'), dataIndex: 'number', width: 200 },
                { title: t('ticket.title'), dataIndex: 'title', ellipsis: true },
                {
                  title: t('ticket.demandType'),
                  key: 'type',
                  render: (_, r) => (
                    <Space size={2}>
                      <Tag>{name(DEMAND_TYPES, r.demandType)}</Tag>
                      <span>{name(DOMAINS, r.domain)}</span>
                    </Space>
                  ),
                },
                { title: t('ticket.region'), dataIndex: 'regionCode', render: (v: string) => regionName(v) },
                { title: t('ticket.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => formatTime(v).slice(11) },
              ]}
            />
          </Card>
        </Space>
      </Col>
      <TicketDrawer id={open} onClose={() => setOpen(null)} />
    </Row>
  );
}
