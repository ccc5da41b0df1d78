import { createHash } from 'node:crypto';
import { REGIONS } from './regions';

export type DepartmentKind = 'region-bureau' | 'municipal-office';

export interface DepartmentSeed {
  id: string;
  code: string;
  name: string;
  kind: DepartmentKind;
  regionCode: string | null;
}

/** 市局处室及直属单位 (DOMAIN.md): the offices municipal matters go to. */
export const MUNICIPAL_OFFICES: readonly { code: string; name: string }[] = [
  { code: 'JYC', name: '市人力社保局就业处' },
  { code: 'SBJ', name: '市社会保险事务局' },
  { code: 'RCB', name: '市人才工作办公室' },
  { code: 'LDGXC', name: '市人力社保局劳动关系处' },
  { code: 'JCZD', name: '市劳动保障监察总队' },
  { code: 'ZCY', name: '市劳动人事争议仲裁院' },
  { code: 'RSKS', name: '市人事考试中心' },
  { code: 'ZYNL', name: '市人力社保局职业能力建设处' },
  { code: 'SBKZX', name: '市社会保障卡服务中心' },
  { code: 'FWZX', name: '市12333服务中心' },
];

/**
 * A stable id per department code (a name-based UUID, RFC 9562 version 5 layout), so every
 * environment, demo and test refers to a department by the same id.
 */
export function departmentId(code: string): string {
  const hash = createHash('sha1').update(`hotline:department:${code}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The departments every installation starts with: one bureau per region, then the offices.
 * Reference data shared by every service (assignment seeds its master data from it, the gateway
 * its demo handlers); assignment owns departments from then on.
 */
export function departmentCatalog(): DepartmentSeed[] {
  return [
    ...REGIONS.map((r) => ({
      id: departmentId(r.code),
      code: r.code,
      // Functional zones name their own social-affairs bureaus; "人力社保局" is the generic name.
      name: `${r.name}人力社保局`,
      kind: 'region-bureau' as const,
      regionCode: r.code,
    })),
    ...MUNICIPAL_OFFICES.map((o) => ({
      id: departmentId(o.code),
      code: o.code,
      name: o.name,
      kind: 'municipal-office' as const,
      regionCode: null,
    })),
  ];
}
