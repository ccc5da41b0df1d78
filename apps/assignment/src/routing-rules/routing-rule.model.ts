import type { BusinessDomain, DemandType, Urgency } from '@hotline/contracts';

/**
 * What a rule looks at. Every condition is optional and they are AND-ed; a rule without any
 * condition matches every ticket (the default rule, 兜底规则).
 */
export interface RuleMatch {
  domains?: BusinessDomain[];
  /** The ticket's categoryCode is one of these or lies under one (`SK.02` covers `SK.02.01`). */
  categoryPrefixes?: string[];
  demandTypes?: DemandType[];
  regionCodes?: string[];
  urgency?: Urgency;
  /** 涉及人数 at least this many; a ticket that does not say how many never matches. */
  minPeopleAffected?: number;
  /** Any of these words appears in the title or the content (case-insensitive). */
  keywords?: string[];
}

export const TARGET_MODES = ['region-bureau', 'department'] as const;
export type TargetMode = (typeof TARGET_MODES)[number];

/** 主办 — the bureau of the ticket's region, or one named department. */
export type RuleTarget = { mode: 'region-bureau' } | { mode: 'department'; departmentCode: string };

/** `sure`: assign at once; `review`: the dispatcher's queue (派单员审核), the target as suggestion. */
export const ROUTING_CONFIDENCES = ['sure', 'review'] as const;
export type RoutingConfidence = (typeof ROUTING_CONFIDENCES)[number];

/** In coHandlerCodes: the bureau of the ticket's region (属地人力社保局). */
export const REGION_PSEUDO_CODE = 'REGION';

/** A category code or prefix of the category tree: `SB`, `SB.02`, `SB.02.01`. */
export const CATEGORY_CODE_PATTERN = /^[A-Z]{2}(\.\d{2}){0,2}$/;

/** 派单规则 — the facts the engine needs of a rule (the entity carries these and bookkeeping). */
export interface RoutingRuleData {
  id: string;
  name: string;
  /** Lower is earlier; unique among active rules. */
  priority: number;
  active: boolean;
  match: RuleMatch;
  target: RuleTarget;
  /** 协办 — department codes, `REGION` for the ticket's region bureau. */
  coHandlerCodes: string[];
  confidence: RoutingConfidence;
  version: number;
}

/**
 * 市级事项 — a category that belongs to a municipal office. The 基层减负 guard keeps such a
 * ticket from being pushed down to a district bureau by a rule that did not choose it by category.
 */
export interface MunicipalMatterData {
  categoryPrefix: string;
  name: string;
  /** The responsible office (责任处室/单位), suggested to the dispatcher. */
  officeCode: string;
}

/** `code` is `prefix` or lies under it in the tree (`SK.02.01` under `SK.02`, not `SK.020`). */
export function categoryUnder(code: string | undefined | null, prefix: string): boolean {
  return !!code && (code === prefix || code.startsWith(`${prefix}.`));
}
