import { Badge, Tooltip } from 'antd';
import { LiveStatus } from '../api/live';
import { useI18n } from '../i18n/i18n';

/** 实时 when the push stream is open; otherwise says the view falls back to polling. */
export function LiveIndicator({ status, pollSeconds = 30 }: { status: LiveStatus; pollSeconds?: number }) {
  const { t } = useI18n();
  const badge = status === 'live' ? 'processing' : status === 'connecting' ? 'default' : 'warning';
  const text = status === 'live' ? t('live.live') : status === 'connecting' ? t('live.connecting') : t('live.polling', { n: pollSeconds });
  return (
    <Tooltip title={status === 'live' ? t('live.liveHint') : t('live.downHint', { n: pollSeconds })}>
      <span data-testid="live-indicator" data-status={status} className={`live-indicator live-${status}`}>
        <Badge status={badge} color={status === 'live' ? '#52c41a' : undefined} text={text} />
      </span>
    </Tooltip>
  );
}
