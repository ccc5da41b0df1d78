import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Segmented, Space } from 'antd';
import { useState } from 'react';
import { api, download } from '../api/client';
import { useErrorText, useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { MessageKey } from '../i18n/messages';
import { CHANNELS, DEMAND_TYPES, DOMAINS, MEASURES, Names } from '../i18n/labels';
import { regionName } from '../reference/regions';
import { TicketSource } from '../shared/TicketListModal';
import { measureColumns } from './measure-columns';
import { ListTable } from '../shared/ListTable';

type Dimension = 'region' | 'domain' | 'demand-type' | 'channel';

interface BreakdownRow extends Record<string, unknown> {
  key: string;
  name: string;
  rates: Record<string, number | null>;
}

const DIMENSIONS: [Dimension, MessageKey, MessageKey][] = [
  ['region', 'cockpit.byRegion', 'ticket.region'],
  ['domain', 'cockpit.byDomain', 'ticket.domain'],
  ['demand-type', 'cockpit.byDemandType', 'ticket.demandType'],
  ['channel', 'cockpit.byChannel', 'ticket.channel'],
];
const LABELS: Partial<Record<Dimension, Names>> = { domain: DOMAINS, 'demand-type': DEMAND_TYPES, channel: CHANNELS };

/**
 * 分类统计 — the month's department measures and rates by district, domain, demand type or
 * channel of the tickets; every number opens the tickets behind it.
 */
export function BreakdownTable({ month, tick, onOpen }: { month: string; tick: number; onOpen: (source: TicketSource) => void }) {
  const { t, name } = useI18n();
  const { modal } = App.useApp();
  const errorText = useErrorText();
  const [dimension, setDimension] = useState<Dimension>('region');
  const exportAs = (format: 'csv' | 'xlsx') =>
    void download('/api/metrics/breakdown/export', { month, dimension, format }, `${dimension}-${month}.${format}`).catch((e: unknown) => {
      modal.error({ title: t('common.failed'), content: errorText(e) });
    });
  const rows = useLoad(
    (signal) => api.get<{ items: BreakdownRow[] }>('/api/metrics/breakdown', { month, dimension }, signal),
    [month, dimension, tick],
  );
  const [, , keyTitle] = DIMENSIONS.find(([d]) => d === dimension) ?? DIMENSIONS[0];
  const keyName = (row: BreakdownRow) => {
    const labels = LABELS[dimension];
    return labels ? name(labels, row.key) : regionName(row.key);
  };
  const open = (row: BreakdownRow, measure: string) =>
    onOpen({ kind: 'breakdown', dimension, key: row.key, month, measure, title: `${keyName(row)} · ${name(MEASURES, measure)} · ${month}` });
  return (
    <Card
      size="small"
      title={t('cockpit.breakdown')}
      extra={
        <Space wrap>
          <Segmented<Dimension>
            size="small"
            value={dimension}
            onChange={setDimension}
            options={DIMENSIONS.map(([value, label]) => ({ value, label: t(label) }))}
            data-testid="breakdown-dimension"
          />
          <Button size="small" icon={<DownloadOutlined />} onClick={() => exportAs('csv')} data-testid="breakdown-export-csv">{t('cockpit.exportCsv')}</Button>
          <Button size="small" icon={<DownloadOutlined />} onClick={() => exportAs('xlsx')} data-testid="breakdown-export-xlsx">{t('cockpit.exportXlsx')}</Button>
        </Space>
      }
    >
      <ListTable<BreakdownRow>
        loaded={rows}
        rows={rows.data?.items ?? []}
        empty={t('cockpit.breakdownEmpty')}
        rowKey="key"
        scroll={{ x: 'max-content' }}
        data-testid="breakdown-table"
        columns={[
          { title: t(keyTitle), key: 'key', fixed: 'left', render: (_: unknown, r) => keyName(r) },
          ...measureColumns<BreakdownRow>(name, (r, m) => Number(r[m] ?? 0), open),
        ]}
      />
    </Card>
  );
}
