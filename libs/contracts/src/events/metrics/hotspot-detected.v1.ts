import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { REGION_CODES } from '../../reference/regions';

/** What rose: one category in one region, or one employer's wage-arrears reports. */
export const HOTSPOT_KINDS = ['region-category', 'employer'] as const;
export type HotspotKind = (typeof HOTSPOT_KINDS)[number];

/**
 * 热点预警 — demands about one matter rose well above their recent baseline today.
 * Keyed by the ticket whose arrival crossed the threshold (the alert's cause).
 */
export class HotspotDetectedV1 {
  @IsUUID()
  hotspotId: string;

  @IsIn(HOTSPOT_KINDS)
  kind: HotspotKind;

  /** Asia/Shanghai day the demands came in (YYYY-MM-DD). */
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  day: string;

  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  categoryCode?: string;

  /** The employer as the triggering caller named it, and the normalised key demands are grouped by. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  employerName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  employerKey?: string;

  /** Demands today when the alert was raised. */
  @IsInt()
  @Min(1)
  count: number;

  /** Average demands per day over the baseline window before `day`. */
  @IsNumber()
  @Min(0)
  baselineDailyAverage: number;

  @IsInt()
  @Min(1)
  baselineDays: number;

  /** The tickets behind the alert (the first 100). */
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  ticketIds: string[];

  @IsISO8601({ strict: true })
  detectedAt: string;
}
