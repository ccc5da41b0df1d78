import officialData from 'chinese-days/dist/chinese-days.json';

export const SPECIAL_DAY_KINDS = ['holiday', 'make-up-workday'] as const;
export type SpecialDayKind = (typeof SPECIAL_DAY_KINDS)[number];

/** A date whose status differs from the weekday rule: a public holiday or a make-up working day (调休). */
export interface SpecialDay {
  date: string; // YYYY-MM-DD, Asia/Shanghai
  kind: SpecialDayKind;
  name: string;
}

export interface OfficialDays {
  /** Years covered by a published State Council notice in the data. */
  confirmedYears: ReadonlySet<number>;
  days: ReadonlyMap<string, SpecialDay>;
  source: string;
}

export const OFFICIAL_DAYS_SOURCE = 'chinese-days (国务院办公厅 节假日安排通知)';

function nameOf(entry: string): string {
  const [, chinese] = entry.split(',');
  return chinese ?? entry;
}

let loaded: OfficialDays | undefined;

/**
 * The official calendar from the `chinese-days` package (State Council notices, holidays and
 * make-up working days, 2004 onwards). A year appears as confirmed only if the data holds its
 * notice; later years are never guessed silently. Read once; the result is shared and read-only.
 */
export function loadOfficialDays(): OfficialDays {
  if (loaded) return loaded;
  const data = officialData as { holidays: Record<string, string>; workdays: Record<string, string> };
  const days = new Map<string, SpecialDay>();
  for (const [date, entry] of Object.entries(data.holidays)) days.set(date, { date, kind: 'holiday', name: nameOf(entry) });
  for (const [date, entry] of Object.entries(data.workdays)) {
    days.set(date, { date, kind: 'make-up-workday', name: nameOf(entry) });
  }
  const confirmedYears = new Set([...days.keys()].map((d) => Number(d.slice(0, 4))));
  loaded = { confirmedYears, days, source: OFFICIAL_DAYS_SOURCE };
  return loaded;
}
