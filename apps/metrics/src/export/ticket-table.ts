import { BUSINESS_DOMAIN_LABELS, CHANNEL_LABELS, DEMAND_TYPE_LABELS, findRegion, TICKET_STATUS_LABELS } from '@hotline/contracts';
import type { presentTicket } from '../tickets/tickets.controller';
import { ExportTable } from './tabular-export';

type TicketRow = ReturnType<typeof presentTicket>;

/** Shanghai wall-clock time, as people write it ("2026-11-23 09:30"). */
function local(iso: string | null): string {
  return iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';
}

/** The ticket list (工单清单) as exported: one row per ticket with the columns a clerk expects. */
export function ticketTable(rows: TicketRow[]): ExportTable<TicketRow> {
  return {
    sheetName: '工单清单',
    rows,
    columns: [
      { header: '工单编号', width: 22, value: (t) => t.number },
      { header: '标题', width: 40, value: (t) => t.title },
      { header: '状态', value: (t) => (t.status ? TICKET_STATUS_LABELS[t.status] : '') },
      { header: '诉求类型', value: (t) => (t.demandType ? DEMAND_TYPE_LABELS[t.demandType] : '') },
      { header: '业务领域', value: (t) => (t.domain ? BUSINESS_DOMAIN_LABELS[t.domain] : '') },
      { header: '受理渠道', value: (t) => (t.channel ? CHANNEL_LABELS[t.channel] : '') },
      { header: '区县', value: (t) => (t.regionCode ? (findRegion(t.regionCode)?.name ?? t.regionCode) : '') },
      { header: '承办单位', width: 28, value: (t) => t.departmentName ?? '' },
      { header: '受理时间', width: 18, value: (t) => local(t.receivedAt) },
      { header: '派单时间', width: 18, value: (t) => local(t.assignedAt) },
      { header: '签收时限', width: 18, value: (t) => local(t.deadlines.signFor) },
      { header: '办理时限', width: 18, value: (t) => local(t.deadlines.reply) },
      { header: '预警', value: (t) => (t.flags.warning ? '是' : '') },
      { header: '超期', value: (t) => (t.flags.overdue ? '是' : '') },
      { header: '督办级别', value: (t) => t.flags.escalationLevel || '' },
      { header: '重复诉求次数', value: (t) => t.flags.repeatCount || '' },
    ],
  };
}
