import { Alert, Button, Cascader, Card, Checkbox, Col, Divider, Form, Input, InputNumber, List, Radio, Row, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import { useAction } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { CHANNELS, DEMAND_TYPES, DOMAINS, URGENCIES } from '../i18n/labels';
import { CategoryNode, categories } from '../reference/reference-data';
import { REGIONS, regionMatches, regionName } from '../reference/regions';
import { formatTime } from '../shared/time';
import { KnowledgeHit } from './KnowledgePanel';

/** The body of POST /api/tickets as the form holds it. */
export interface NewTicketValues {
  caller: { name: string; phone: string; idNumber?: string };
  demandType: string;
  domain: string;
  categoryPath?: string[];
  urgency: string;
  regionCode: string;
  address?: string;
  title?: string;
  content: string;
  employerName?: string;
  peopleAffected?: number;
  desiredContactTime?: string;
  channel: string;
  resolve?: boolean;
  resolveOnCall?: { answer: string; knowledgeId?: string };
  repeatOverride?: { reason: string };
}

interface CategoryOption {
  value: string;
  label: string;
  children?: CategoryOption[];
}

interface RepeatCandidate {
  id: string;
  number: string;
  title: string | null;
  domain: string;
  regionCode: string;
  receivedAt: string;
  repeatCount: number;
  matchedOn: 'caller' | 'employer';
}

type Outcome =
  | { outcome: 'created'; id: string; number: string; status: string }
  | { outcome: 'linked'; id: string; number: string; repeatCount: number };

/**
 * Loose on purpose: the service knows the exact rules (mobile or landline with area code) and
 * its answer appears next to the field; the desk only catches what is plainly not a number.
 */
const PHONE_SHAPE = /^[+\d][\d\s-]{6,19}$/;

const DEFAULTS: Partial<NewTicketValues> = { urgency: 'normal', channel: 'phone', demandType: 'consultation' };

interface Props {
  /** The words of the demand so far, for the knowledge suggestions. */
  onTextChange: (text: string, domain: string | undefined) => void;
  /** A suggestion the operator chose to read out. */
  chosenAnswer: KnowledgeHit | null;
  onCreated: () => void;
}

export function NewTicketForm({ onTextChange, chosenAnswer, onCreated }: Props) {
  const { t, name } = useI18n();
  const [form] = Form.useForm<NewTicketValues>();
  const { run, busy } = useAction();
  const [tree, setTree] = useState<CategoryNode[]>([]);
  const [candidates, setCandidates] = useState<RepeatCandidate[]>([]);
  const [linkTo, setLinkTo] = useState<RepeatCandidate | null>(null);
  const [override, setOverride] = useState(false);
  const [result, setResult] = useState<Outcome | null>(null);
  const firstField = useRef<HTMLInputElement>(null);

  const demandType = Form.useWatch('demandType', form);
  const domain = Form.useWatch('domain', form);
  const resolve = Form.useWatch('resolve', form);
  const phone = Form.useWatch(['caller', 'phone'], form);
  const employer = Form.useWatch('employerName', form);
  const content = Form.useWatch('content', form);
  const title = Form.useWatch('title', form);

  useEffect(() => {
    categories.get().then(setTree).catch(() => setTree([]));
  }, []);

  useEffect(() => {
    onTextChange([title, content].filter(Boolean).join(' '), domain);
  }, [title, content, domain, onTextChange]);

  // Repeat candidates while the operator types: the same caller, or the same employer and matter.
  useEffect(() => {
    const phoneReady = typeof phone === 'string' && /^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/.test(phone.replace(/\s/g, ''));
    const employerReady = !!employer?.trim() && !!domain;
    if (!phoneReady && !employerReady) {
      setCandidates([]);
      return;
    }
    const timer = setTimeout(() => {
      api
        .post<RepeatCandidate[]>('/api/intake/repeat-candidates', {
          ...(phoneReady ? { phone: phone.replace(/\s/g, '') } : {}),
          ...(employerReady ? { employerName: (employer ?? '').trim(), domain } : {}),
        })
        .then(setCandidates)
        .catch(() => setCandidates([]));
    }, 400);
    return () => clearTimeout(timer);
  }, [phone, employer, domain]);

  useEffect(() => {
    if (!chosenAnswer) return;
    form.setFieldsValue({
      resolve: form.getFieldValue('demandType') === 'consultation' ? true : form.getFieldValue('resolve'),
      resolveOnCall: { answer: chosenAnswer.answer, knowledgeId: chosenAnswer.id },
    });
  }, [chosenAnswer, form]);

  const cascaderOptions = useMemo(() => {
    const toOption = (n: CategoryNode): CategoryOption => ({
      value: n.code,
      label: n.name,
      ...(n.children?.length ? { children: n.children.map(toOption) } : {}),
    });
    return (domain ? tree.filter((n) => n.domain === domain) : tree).map(toOption);
  }, [tree, domain]);

  const reset = () => {
    form.resetFields();
    setCandidates([]);
    setLinkTo(null);
    setOverride(false);
    firstField.current?.focus();
  };

  const submit = async (values: NewTicketValues) => {
    const body: Record<string, unknown> = {
      channel: values.channel,
      demandType: values.demandType,
      domain: values.domain,
      urgency: values.urgency,
      regionCode: values.regionCode,
      content: values.content,
      caller: {
        name: values.caller.name,
        phone: values.caller.phone.replace(/\s/g, ''),
        ...(values.caller.idNumber ? { idNumber: values.caller.idNumber } : {}),
      },
    };
    const optional = ['title', 'address', 'employerName', 'desiredContactTime'] as const;
    for (const key of optional) if (values[key]?.trim()) body[key] = values[key]?.trim();
    if (values.peopleAffected) body.peopleAffected = values.peopleAffected;
    if (values.categoryPath?.length) body.categoryCode = values.categoryPath[values.categoryPath.length - 1];
    if (values.resolve && values.resolveOnCall?.answer) {
      body.resolveOnCall = { answer: values.resolveOnCall.answer, ...(values.resolveOnCall.knowledgeId ? { knowledgeId: values.resolveOnCall.knowledgeId } : {}) };
    }
    if (linkTo) body.repeatOf = linkTo.id;
    else if (override && values.repeatOverride?.reason) body.repeatOverride = { reason: values.repeatOverride.reason };
    const outcome = await run(() => api.post<Outcome>('/api/tickets', body), { form });
    if (!outcome) return;
    setResult(outcome);
    reset();
    onCreated();
  };

  const required = { required: true, message: t('common.required') };

  return (
    <Card
      title={t('desk.newTicket')}
      size="small"
      extra={<Typography.Text type="secondary">Alt+N · Ctrl+Enter</Typography.Text>}
    >
      {result && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setResult(null) }}
          style={{ marginBottom: 12 }}
          data-testid="ticket-created"
          title={
            result.outcome === 'linked'
              ? t('desk.linked', { number: result.number, n: result.repeatCount })
              : result.status === 'resolved-on-call'
                ? t('desk.resolved', { number: result.number })
                : t('desk.created', { number: result.number })
          }
        />
      )}
      <Form<NewTicketValues>
        form={form}
        layout="vertical"
        initialValues={DEFAULTS}
        onFinish={submit}
        requiredMark
        scrollToFirstError
        data-testid="new-ticket-form"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            form.submit();
          }
        }}
      >
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>{t('desk.callerSection')}</Divider>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name={['caller', 'name']} label={t('ticket.callerName')} rules={[required, { max: 50 }]}>
              <Input id="caller-name" ref={(el) => { firstField.current = el?.input ?? null; }} autoFocus data-hotkey="new-ticket" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name={['caller', 'phone']}
              label={t('ticket.callerPhone')}
              rules={[required, { pattern: PHONE_SHAPE, message: t('common.required') }]}
            >
              <Input id="caller-phone" inputMode="tel" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['caller', 'idNumber']} label={t('ticket.callerId')}>
              <Input id="caller-id" maxLength={18} />
            </Form.Item>
          </Col>
        </Row>

        {candidates.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="repeat-warning"
            title={t('desk.repeatWarning')}
            description={
              <>
                <Typography.Paragraph style={{ marginBottom: 4 }}>{t('desk.repeatHint')}</Typography.Paragraph>
                <List
                  size="small"
                  dataSource={candidates}
                  renderItem={(c) => (
                    <List.Item
                      actions={[
                        linkTo?.id === c.id ? (
                          <Button size="small" key="unlink" onClick={() => setLinkTo(null)}>{t('desk.unlink')}</Button>
                        ) : (
                          <Button size="small" key="link" type="primary" onClick={() => { setLinkTo(c); setOverride(false); }}>
                            {t('desk.linkTo')}
                          </Button>
                        ),
                      ]}
                    >
                      <Space wrap>
                        <Typography.Text strong>{c.number}</Typography.Text>
                        <span>{c.title}</span>
                        <Tag>{name(DOMAINS, c.domain)}</Tag>
                        <span>{regionName(c.regionCode)}</span>
                        <span>{formatTime(c.receivedAt)}</span>
                        <Tag color="orange">{t(c.matchedOn === 'caller' ? 'desk.matchedOn.caller' : 'desk.matchedOn.employer')}</Tag>
                      </Space>
                    </List.Item>
                  )}
                />
                {linkTo ? (
                  <Tag color="blue">{t('desk.linkedTo', { number: linkTo.number })}</Tag>
                ) : (
                  <Checkbox checked={override} onChange={(e) => setOverride(e.target.checked)}>{t('desk.override')}</Checkbox>
                )}
                {override && !linkTo && (
                  <Form.Item name={['repeatOverride', 'reason']} label={t('desk.overrideReason')} rules={[required]} style={{ marginTop: 8, marginBottom: 0 }}>
                    <Input />
                  </Form.Item>
                )}
              </>
            }
          />
        )}

        <Divider titlePlacement="start" plain>{t('desk.demandSection')}</Divider>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="demandType" label={t('ticket.demandType')} rules={[required]}>
              <Select id="demand-type" options={Object.keys(DEMAND_TYPES).map((v) => ({ value: v, label: name(DEMAND_TYPES, v) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="domain" label={t('ticket.domain')} rules={[required]}>
              <Select
                id="domain"
                showSearch={{ optionFilterProp: 'label' }}
                options={Object.keys(DOMAINS).map((v) => ({ value: v, label: name(DOMAINS, v) }))}
                onChange={() => form.setFieldValue('categoryPath', undefined)}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="urgency" label={t('ticket.urgency')} rules={[required]}>
              <Radio.Group optionType="button" options={Object.keys(URGENCIES).map((v) => ({ value: v, label: name(URGENCIES, v) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="regionCode" label={t('ticket.region')} rules={[required]}>
              <Select
                id="region"
                placeholder={t('desk.regionPlaceholder')}
                showSearch={{
                  filterOption: (input, option) => {
                    const region = REGIONS.find((r) => r.code === option?.value);
                    return !!region && regionMatches(region, input);
                  },
                }}
                options={REGIONS.map((r) => ({ value: r.code, label: r.name }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="categoryPath" label={t('ticket.category')}>
              <Cascader
                id="category"
                placeholder={t('desk.categoryPlaceholder')}
                options={cascaderOptions}
                showSearch
                changeOnSelect
                onChange={(path) => {
                  const root = tree.find((n) => n.code === (path as string[] | undefined)?.[0]);
                  if (root && root.domain !== form.getFieldValue('domain')) form.setFieldValue('domain', root.domain);
                }}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="address" label={t('ticket.address')} rules={[{ max: 300 }]}>
          <Input id="address" />
        </Form.Item>
        <Form.Item name="title" label={t('ticket.title')} rules={[{ max: 200 }]}>
          <Input id="title" />
        </Form.Item>
        <Form.Item name="content" label={t('ticket.content')} rules={[required, { max: 4000 }]}>
          <Input.TextArea id="content" rows={4} showCount maxLength={4000} />
        </Form.Item>

        <Divider titlePlacement="start" plain>{t('desk.moreSection')}</Divider>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="employerName" label={t('ticket.employer')} rules={[{ max: 200 }]}>
              <Input id="employer" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="peopleAffected" label={t('ticket.peopleAffected')}>
              <InputNumber id="people" min={1} max={100000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="desiredContactTime" label={t('ticket.desiredContactTime')} rules={[{ max: 100 }]}>
              <Input id="contact-time" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="channel" label={t('ticket.channel')}>
          <Radio.Group options={Object.keys(CHANNELS).map((v) => ({ value: v, label: name(CHANNELS, v) }))} />
        </Form.Item>

        <Form.Item name="resolve" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox disabled={demandType !== 'consultation'}>
            {t('desk.resolveOnCall')}
            {demandType !== 'consultation' && <Typography.Text type="secondary"> （{t('desk.resolveOnlyConsultation')}）</Typography.Text>}
          </Checkbox>
        </Form.Item>
        {resolve && demandType === 'consultation' && (
          <>
            <Form.Item name={['resolveOnCall', 'answer']} label={t('desk.resolveAnswer')} rules={[required, { max: 4000 }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name={['resolveOnCall', 'knowledgeId']} hidden>
              <Input />
            </Form.Item>
          </>
        )}

        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="submit-ticket">
            {t('desk.submit')}
          </Button>
          <Button onClick={reset}>{t('desk.reset')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
