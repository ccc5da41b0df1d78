import { FireOutlined } from '@ant-design/icons';
import { Card, List, Space, Tag, Typography } from 'antd';
import { api, ApiError } from '../api/client';
import { useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { DOMAINS } from '../i18n/labels';
import { regionName } from '../reference/regions';
import { formatTime } from '../shared/time';
import { EmptyHint } from '../shared/ui';

/** A hotspot alert as far as the console relies on it; every field is optional. */
type Hotspot = Record<string, unknown> & {
  id?: string;
  title?: string;
  description?: string;
  regionCode?: string;
  domain?: string;
  categoryCode?: string;
  categoryName?: string;
  employerName?: string;
  count?: number;
  baseline?: number;
  level?: string;
  detectedAt?: string;
  createdAt?: string;
};

/**
 * 热点预警 — a sudden rise of one matter in one region. The endpoint is new: until it exists
 * (404) the panel says so instead of failing.
 */
export function HotspotPanel({ tick }: { tick: number }) {
  const { t, name } = useI18n();
  const hotspots = useLoad(
    (signal) =>
      api.get<{ items: Hotspot[] }>('/api/metrics/hotspots', undefined, signal).then(
        (r) => ({ available: true, items: r.items ?? [] }),
        (e) => {
          if (e instanceof ApiError && e.status === 404) return { available: false, items: [] as Hotspot[] };
          throw e;
        },
      ),
    [tick],
  );
  const data = hotspots.data;
  return (
    <Card size="small" title={<Space><FireOutlined style={{ color: '#f5222d' }} />{t('cockpit.hotspots')}</Space>} data-testid="hotspots">
      {hotspots.error ? (
        <Typography.Text type="danger">{t('common.emptyRetry')}</Typography.Text>
      ) : (
        <List
          size="small"
          loading={hotspots.loading && !data}
          dataSource={data?.items ?? []}
          locale={{ emptyText: <EmptyHint text={data && !data.available ? t('cockpit.hotspotsUnavailable') : t('cockpit.hotspotsEmpty')} /> }}
          renderItem={(h, i) => (
            <List.Item key={h.id ?? i}>
              <Space wrap>
                {h.level && <Tag color="red">{h.level}</Tag>}
                <Typography.Text strong>{h.title ?? h.description ?? h.categoryName ?? name(DOMAINS, h.domain)}</Typography.Text>
                {h.regionCode && <Tag>{regionName(h.regionCode)}</Tag>}
                {h.domain && <Tag>{name(DOMAINS, h.domain)}</Tag>}
                {h.employerName && <span>{h.employerName}</span>}
                {typeof h.count === 'number' && (
                  <Typography.Text type="danger">
                    {h.count}
                    {typeof h.baseline === 'number' ? ` / ${h.baseline}` : ''}
                  </Typography.Text>
                )}
                {(h.detectedAt || h.createdAt) && <Typography.Text type="secondary">{formatTime(h.detectedAt ?? h.createdAt)}</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
