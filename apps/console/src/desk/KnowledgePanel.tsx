import { BookOutlined } from '@ant-design/icons';
import { Button, Card, Input, InputRef, List, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { DOMAINS } from '../i18n/labels';

export interface KnowledgeHit {
  id: string;
  question: string;
  answer: string;
  domain: string;
  keywords: string[];
  source: string;
  score: number;
}

/**
 * 政策咨询问答 suggested while the operator types: the demand's words by default, or what the
 * operator searches for here. Alt+K jumps into the search box.
 */
export function KnowledgePanel({ text, domain, onUse }: { text: string; domain?: string; onUse: (hit: KnowledgeHit) => void }) {
  const { t, name } = useI18n();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<KnowledgeHit[]>([]);
  const [loading, setLoading] = useState(false);
  const search = useRef<InputRef>(null);
  const q = (query.trim() || text.trim()).slice(0, 200);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        search.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (!q) {
      setHits([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      api
        .get<{ items: KnowledgeHit[] }>('/api/knowledge', { q, limit: 5, ...(domain && !query.trim() ? { domain } : {}) }, controller.signal)
        .then((r) => setHits(r.items))
        .catch(() => !controller.signal.aborted && setHits([]))
        .finally(() => !controller.signal.aborted && setLoading(false));
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, domain, query]);

  return (
    <Card size="small" title={<Space><BookOutlined />{t('desk.knowledge')}</Space>} data-testid="knowledge-panel">
      <Input.Search
        ref={search}
        placeholder={t('desk.knowledgeSearch')}
        allowClear
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        style={{ marginBottom: 8 }}
      />
      <List
        size="small"
        loading={loading}
        dataSource={hits}
        locale={{ emptyText: q ? t('desk.knowledgeNone') : t('desk.knowledgeHint') }}
        renderItem={(hit) => (
          <List.Item
            actions={[
              <Button key="use" size="small" onClick={() => onUse(hit)}>
                {t('desk.useAnswer')}
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={<Space wrap><span>{hit.question}</span><Tag>{name(DOMAINS, hit.domain)}</Tag></Space>}
              description={
                <>
                  <Typography.Paragraph className="knowledge-answer" ellipsis={{ rows: 4, expandable: true }} style={{ marginBottom: 4 }}>
                    {hit.answer}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary">{t('desk.policySource')}：{hit.source}</Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
