import { Button, Card, Col, Form, Input, InputNumber, Row, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { api } from '../api/client';
import { useAction, useLoad } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { COLOUR_HEX, COLOURS } from '../i18n/labels';
import { LoadError } from '../shared/ui';

interface Formula {
  version: number;
  weights: { response: number; resolution: number; satisfaction: number };
  reopenPenalty: number;
  bands: { colour: string; min: number }[];
}

const BANDED = ['dark-green', 'light-green', 'yellow', 'orange'];

/** 考核公式 — weights and colour bands as a versioned formula; published months keep theirs. */
export function ScoringAdmin() {
  const { t, name } = useI18n();
  const formula = useLoad((signal) => api.get<Formula>('/api/admin/scoring-formula', undefined, signal), []);
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  useEffect(() => {
    const f = formula.data;
    if (!f) return;
    form.setFieldsValue({
      weights: f.weights,
      reopenPenalty: f.reopenPenalty,
      bands: Object.fromEntries(f.bands.map((b) => [b.colour, b.min])),
      note: '',
    });
  }, [formula.data, form]);
  const submit = async (v: { weights: Formula['weights']; reopenPenalty: number; bands: Record<string, number>; note: string }) => {
    const body = {
      weights: v.weights,
      reopenPenalty: v.reopenPenalty,
      bands: BANDED.filter((c) => typeof v.bands?.[c] === 'number').map((colour) => ({ colour, min: v.bands[colour] })),
      note: v.note,
    };
    if (await run(() => api.put('/api/admin/scoring-formula', body), { form, success: t('common.saved') })) void formula.reload();
  };
  return (
    <Card size="small" title={formula.data ? t('admin.currentVersion', { v: formula.data.version }) : t('admin.scoring')}>
      <LoadError error={formula.error} retry={() => void formula.reload()} />
      <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 720 }}>
        <Typography.Text strong>{t('admin.weights')}</Typography.Text>
        <Row gutter={12}>
          {(['response', 'resolution', 'satisfaction'] as const).map((w) => (
            <Col span={8} key={w}>
              <Form.Item name={['weights', w]} label={t(`admin.${w}`)} rules={[{ required: true }]}>
                <InputNumber min={0} max={1} step={0.05} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Form.Item name="reopenPenalty" label={t('admin.reopenPenalty')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        <Typography.Text strong>{t('admin.bands')}</Typography.Text>
        <Space wrap style={{ display: 'flex', marginTop: 8 }}>
          {BANDED.map((c) => (
            <Form.Item key={c} name={['bands', c]} label={<Tag color={COLOUR_HEX[c]}>{name(COLOURS, c)}</Tag>}>
              <InputNumber min={0} max={100} />
            </Form.Item>
          ))}
          <Tag color={COLOUR_HEX.red}>{name(COLOURS, 'red')} &lt; {t('admin.bands')}</Tag>
        </Space>
        <Form.Item name="note" label={t('common.note')} rules={[{ required: true, message: t('common.required') }]}>
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('admin.publishNew')}</Button>
      </Form>
    </Card>
  );
}
