import { FireOutlined } from '@ant-design/icons';
import { Card, List, Segmented, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { regionName } from '../reference/regions';
import { categories, CategoryNode } from '../reference/reference-data';
import { TicketSource } from '../shared/TicketListModal';
import { formatTime, shanghai } from '../shared/time';
import { EmptyHint, LoadError } from '../shared/ui';

/** An alert of GET /api/metrics/hotspots. */
export interface Hotspot {
  id: string;
  kind: 'region-category' | 'employer';
  day: string;
  regionCode: string | null;
  regionName: string | null;
  categoryCode: string | null;
  employerName: string | null;
  /** Demands when the alert was raised, and now. */
  countAtDetection: number;
  count: number;
  baselineDailyAverage: number;
  baselineDays: number;
  detectedAt: string;
}

type Range = 'today' | '7d' | '30d';

/** code → name over the whole category tree. */
function useCategoryNames(): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    const flatten = (nodes: CategoryNode[], into: Map<string, string>) => {
      for (const n of nodes) {
        into.set(n.code, n.name);
        flatten(n.children ?? [], into);
      }
      return into;
    };
    categories
      .get()
      .then((tree) => live && setNames(flatten(tree, new Map())))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return names;
}

/**
 * 热点预警 — a sudden rise of one matter: one category in one region, or one employer reported
 * for wage arrears. Each alert opens the demands behind it.
 */
export function HotspotPanel({ tick, onOpen }: { tick: number; onOpen: (source: TicketSource) => void }) {
  const { t, lang } = useI18n();
  const [range, setRange] = useState<Range>('7d');
  const categoryNames = useCategoryNames();
  const hotspots = useLoad(
    (signal) => {
      const to = shanghai().format('YYYY-MM-DD');
      const from = range === 'today' ? to : shanghai().subtract(range === '7d' ? 6 : 29, 'day').format('YYYY-MM-DD');
      return api.get<{ items: Hotspot[] }>('/api/metrics/hotspots', { from, to }, signal);
    },
    [tick, range],
  );
  const items = hotspots.data?.items ?? [];

  const headline = (h: Hotspot) => {
    const region = h.regionName ?? (h.regionCode ? regionName(h.regionCode) : '');
    if (h.kind === 'employer') return h.employerName ?? '—';
    const category = h.categoryCode ? (categoryNames.get(h.categoryCode) ?? h.categoryCode) : '';
    return `${region} · ${category}`;
  };
  const open = (h: Hotspot) => onOpen({ kind: 'hotspot', id: h.id, title: `${t('cockpit.hotspots')} · ${headline(h)} · ${h.day}` });

  return (
    <Card
      size="small"
      title={<Space><FireOutlined style={{ color: '#f5222d' }} />{t('cockpit.hotspots')}{items.length > 0 && <Tag color="red">{items.length}</Tag>}</Space>}
      extra={
        <Segmented<Range>
          size="small"
          value={range}
          onChange={setRange}
          options={[
            { value: 'today', label: t('hotspot.today') },
            { value: '7d', label: t('hotspot.week') },
            { value: '30d', label: t('hotspot.month') },
          ]}
        />
      }
      data-testid="hotspots"
    >
      <LoadError error={hotspots.error} retry={() => void hotspots.reload()} />
      <List
        size="small"
        loading={hotspots.loading && !hotspots.data}
        dataSource={items}
        pagination={items.length > 6 ? { pageSize: 6, size: 'small' } : false}
        locale={{ emptyText: <EmptyHint text={t('cockpit.hotspotsEmpty')} /> }}
        renderItem={(h) => (
          <List.Item
            key={h.id}
            className="hotspot-item"
            data-testid="hotspot-item"
            data-hotspot={h.id}
            role="button"
            tabIndex={0}
            onClick={() => open(h)}
            onKeyDown={(e) => e.key === 'Enter' && open(h)}
          >
            <Space direction="vertical" size={0} style={{ width: '100%' }}>
              <Space wrap size={4}>
                <Tag color={h.kind === 'employer' ? 'volcano' : 'red'}>{t(h.kind === 'employer' ? 'hotspot.employer' : 'hotspot.regionCategory')}</Tag>
                <Typography.Text strong>{headline(h)}</Typography.Text>
                {h.kind === 'region-category' && h.categoryCode && <Typography.Text type="secondary">{h.categoryCode}</Typography.Text>}
              </Space>
              <Space wrap size={8}>
                <Tooltip title={t('hotspot.countHint', { atDetection: h.countAtDetection })}>
                  <Typography.Text type="danger" strong>{t('hotspot.count', { n: h.count })}</Typography.Text>
                </Tooltip>
                <Typography.Text type="secondary">
                  {t('hotspot.baseline', { avg: h.baselineDailyAverage.toFixed(h.baselineDailyAverage < 10 ? 2 : 1), days: h.baselineDays })}
                </Typography.Text>
                <Typography.Text type="secondary">{lang === 'zh' ? `${h.day} · ${formatTime(h.detectedAt).slice(11)} 发现` : `${h.day} · found ${formatTime(h.detectedAt).slice(11)}`}</Typography.Text>
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
