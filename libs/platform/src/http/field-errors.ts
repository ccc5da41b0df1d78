import { BadRequestException } from '@nestjs/common';
import { ValidationError } from 'class-validator';

/** One refused field, in English (the API's `message` lines) and Chinese (for the console). */
export interface FieldError {
  field: string;
  code: string;
  message: string;
  messageZh: string;
}

/** 字段名称 — how the console names the fields of the hotline's forms. */
const FIELD_LABELS: Record<string, string> = {
  demandType: '诉求类型',
  domain: '业务领域',
  categoryCode: '诉求分类',
  urgency: '紧急程度',
  channel: '受理渠道',
  regionCode: '所属区县',
  title: '标题',
  content: '诉求内容',
  caller: '来电人',
  'caller.name': '来电人姓名',
  'caller.phone': '联系电话',
  'caller.idNumber': '身份证号',
  callerPhone: '联系电话',
  phone: '联系电话',
  employerName: '用人单位',
  peopleAffected: '涉及人数',
  address: '详细地址',
  attachments: '附件',
  desiredContactTime: '期望联系时间',
  resolveOnCall: '即时办结',
  'resolveOnCall.answer': '答复内容',
  'resolveOnCall.knowledgeId': '知识库条目',
  repeatOf: '原工单',
  repeatOverride: '不并单',
  'repeatOverride.reason': '不并单理由',
  reason: '事由',
  kind: '类别',
  username: '用户名',
  password: '密码',
  displayName: '姓名',
  role: '角色',
  departmentId: '承办单位',
  day: '日期',
  q: '查询内容',
  question: '问题',
  answer: '答复',
  keywords: '关键词',
  validFrom: '生效日期',
  validTo: '失效日期',
  source: '政策依据',
  limit: '条数',
  workingDays: '延期工作日数',
  outcome: '办理结果',
  satisfaction: '满意度',
  note: '意见',
  comment: '意见',
  approved: '审批结果',
};

function labelOf(field: string): string {
  return FIELD_LABELS[field] ?? FIELD_LABELS[field.replace(/\.\d+\./g, '.')] ?? field;
}

const number = (message: string) => /(\d+)/.exec(message)?.[1] ?? '';

/** Chinese wording per class-validator constraint; `n` is the limit read from the English message. */
const TEMPLATES: Record<string, (label: string, n: string) => string> = {
  isIn: (l) => `${l}的取值不在允许范围内`,
  isNotEmpty: (l) => `${l}不能为空`,
  isDefined: (l) => `${l}必须填写`,
  maxLength: (l, n) => `${l}不能超过${n}个字符`,
  minLength: (l, n) => `${l}不能少于${n}个字符`,
  isString: (l) => `${l}必须是文本`,
  isInt: (l) => `${l}必须是整数`,
  min: (l, n) => `${l}不能小于${n}`,
  max: (l, n) => `${l}不能大于${n}`,
  matches: (l) => `${l}格式不正确`,
  isUuid: (l) => `${l}必须是有效的编号`,
  isObject: (l) => `${l}必须填写完整`,
  isArray: (l) => `${l}必须是列表`,
  arrayMaxSize: (l, n) => `${l}最多${n}项`,
  isIso8601: (l) => `${l}必须是带时区的时间（ISO-8601）`,
  isCalendarDay: (l) => `${l}必须是有效日期（YYYY-MM-DD）`,
  isInstant: (l) => `${l}必须是日期（YYYY-MM-DD）或带时区的时间`,
  isBoolean: (l) => `${l}只能是是或否`,
  isChineseIdNumber: (l) => `${l}无效（校验位或出生日期不正确）`,
  whitelistValidation: (l) => `不接受字段“${l}”`,
};

/** Every refused field of a validation, with nested paths (`caller.phone`). */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([code, message]) => ({
      field,
      code,
      message: `${field}: ${message}`,
      messageZh: (TEMPLATES[code] ?? ((l: string) => `${l}无效`))(labelOf(field), number(message)),
    }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

/**
 * A 400 for one field found wrong beyond its own validation (a category of another domain, say),
 * in the same shape as the validation pipe's, in English and Chinese.
 */
export function refusedField(field: string, message: string, messageZh: string): BadRequestException {
  const error: FieldError = { field, code: 'invalid', message: `${field}: ${message}`, messageZh };
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [error.message], errors: [error] });
}
