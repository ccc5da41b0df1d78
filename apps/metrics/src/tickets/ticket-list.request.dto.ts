import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import {
  BUSINESS_DOMAINS,
  BusinessDomain,
  DEMAND_TYPES,
  DemandType,
  REGION_CODES,
  TICKET_STATUSES,
  TicketStatus,
} from '@hotline/contracts';
import { IsInstant, Paged } from '@hotline/platform';
import { EXPORT_FORMATS, ExportFormat } from '../export/tabular-export';

/** Filters of GET /api/tickets (API.md) and of its export. */
/** The overview's "now" figures, as list filters (their drill-down). */
export const OPEN_STATES = ['open', 'warning', 'overdue', 'escalated'] as const;
export type OpenState = (typeof OPEN_STATES)[number];

export class TicketFilters {
  @IsOptional()
  @IsIn(OPEN_STATES)
  state?: OpenState;

  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string;

  @IsOptional()
  @IsIn(BUSINESS_DOMAINS)
  domain?: BusinessDomain;

  @IsOptional()
  @IsIn(DEMAND_TYPES)
  demandType?: DemandType;

  /** A ticket number or words of the title. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @IsOptional()
  @IsInstant()
  from?: string;

  @IsOptional()
  @IsInstant()
  to?: string;

}

export class TicketListQuery extends Paged(TicketFilters) {
}

export class TicketExportQuery extends TicketFilters {
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;
}

/** The most tickets POST /api/tickets/export names at once: the lists a figure opens. */
export const EXPORT_BY_ID_LIMIT = 5_000;

/**
 * POST /api/tickets/export — the tickets of a list no filter of GET /api/tickets describes (the
 * tickets behind a department's or a district's figure, a counter, a hotspot), named by id.
 */
export class TicketExportByIdRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EXPORT_BY_ID_LIMIT)
  @IsUUID('all', { each: true })
  ids: string[];

  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;
}
