import regionsFile from './chongqing-regions.json';

export type RegionKind = 'district' | 'county' | 'zone';

/** One of the 41 regions of Chongqing a ticket can belong to (区县 / 功能区). */
export interface Region {
  code: string;
  name: string;
  kind: RegionKind;
}

/** The 41 regions, from the administrative division codes (GB/T 2260) plus 3 functional zones. */
export const REGIONS: readonly Region[] = Object.freeze(
  (regionsFile.regions as Region[]).map((r) => Object.freeze({ code: r.code, name: r.name, kind: r.kind })),
);

export const REGION_CODES: readonly string[] = REGIONS.map((r) => r.code);

const byCode = new Map(REGIONS.map((r) => [r.code, r]));

export function findRegion(code: string): Region | undefined {
  return byCode.get(code);
}
