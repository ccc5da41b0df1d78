/** The demands the load generator files: spread over every district, routed straight to its bureau. */
import { REGION_CODES } from '@hotline/contracts';
import type { TicketMix } from './load';
import type { BenchContext } from './context';
import type { LoadSpec } from './load';

export function ticketMix(): TicketMix {
  return {
    regions: [...REGION_CODES],
    // Domains the default rules send to the district bureau (no dispatcher review); no employer,
    // category or crowd size, so neither 并单 by employer nor the hotspot rule is exercised.
    domains: ['employment', 'social-insurance', 'social-security-card', 'labour-relations', 'wage-arrears'],
    demandTypes: ['complaint', 'consultation', 'help', 'report'],
    contents: [
      '来电人反映所在公司连续两个月未发放工资，多次与老板协商无果，希望人社部门督促企业尽快支付。',
      '来电人咨询失业保险金的申领条件、办理地点和需要准备的材料，本人已于上月被单位解除劳动合同。',
      '来电人反映单位未依法为其缴纳社会保险，入职已满一年，要求补缴并希望了解投诉渠道。',
      '来电人的社保卡丢失，询问挂失和补办的流程、办理时限以及能否在线上办理。',
      '来电人反映工地项目部拖欠农民工工资，涉及同乡数人，包工头已联系不上，请求帮助追讨。',
      '来电人咨询灵活就业人员参加城镇职工基本养老保险的缴费基数和缴费方式。',
      '来电人反映单位在试用期内无故辞退且未支付当月工资，希望了解维权途径。',
      '来电人咨询高校毕业生就业创业补贴的申请条件，以及在哪里提交申请材料。',
    ],
  };
}

/** A load spec of new tickets through the gateway, with callers no earlier phase used. */
export function ticketLoad(ctx: BenchContext, token: string, spec: Partial<LoadSpec> & Pick<LoadSpec, 'mode' | 'durationMs'>): LoadSpec {
  const phoneBase = ctx.shared.phoneBase;
  // Enough phones for any phase: 10 million apart.
  ctx.shared.phoneBase += 10_000_000;
  return {
    baseUrl: ctx.stack.gatewayUrl,
    token,
    requests: [{ method: 'POST', path: '/api/tickets', body: 'ticket' }],
    warmUpMs: 0,
    phoneBase,
    mix: ticketMix(),
    ...spec,
  };
}
