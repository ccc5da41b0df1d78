import { Card } from 'antd';
import { useI18n } from '../i18n/i18n';
import { CallbackList } from './CallbackList';

export function CallbacksPage() {
  const { t } = useI18n();
  return (
    <Card title={t('nav.callbacks')} size="small">
      <CallbackList />
    </Card>
  );
}
