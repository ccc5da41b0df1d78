/** One opening of the office on a working day, in minutes after local midnight: [opensAt, closesAt). */
export interface OfficeSession {
  opensAt: number;
  closesAt: number;
}

/** The office's openings on every working day (make-up working days included), in order. */
export interface OfficeHours {
  sessions: readonly OfficeSession[];
}

/** 09:00–12:00 and 13:30–17:30, Asia/Shanghai: seven working hours a day. */
export const DEFAULT_OFFICE_HOURS: OfficeHours = Object.freeze({
  sessions: Object.freeze([
    Object.freeze({ opensAt: 9 * 60, closesAt: 12 * 60 }),
    Object.freeze({ opensAt: 13 * 60 + 30, closesAt: 17 * 60 + 30 }),
  ]),
});

/**
 * Checks office hours: at least one session, whole minutes within the day, each session
 * non-empty, in order and apart from the next (a lunch break of zero minutes is two sessions
 * that should have been one). Throws a RangeError saying what is wrong.
 */
export function validateOfficeHours(hours: OfficeHours): OfficeHours {
  const sessions = hours?.sessions;
  if (!Array.isArray(sessions) || sessions.length === 0) throw new RangeError('office hours: at least one session is needed');
  let previousClose = -1;
  for (const s of sessions) {
    const { opensAt, closesAt } = s;
    if (!Number.isInteger(opensAt) || !Number.isInteger(closesAt) || opensAt < 0 || closesAt > 24 * 60) {
      throw new RangeError(`office hours: ${formatSession(s)} must be whole minutes within one day`);
    }
    if (opensAt >= closesAt) throw new RangeError(`office hours: ${formatSession(s)} must open before it closes`);
    if (opensAt <= previousClose) {
      throw new RangeError(`office hours: ${formatSession(s)} must start after the previous session closes`);
    }
    previousClose = closesAt;
  }
  return hours;
}

/** `"09:00-12:00,13:30-17:30"` → office hours (validated). */
export function parseOfficeHours(text: string): OfficeHours {
  const sessions = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/.exec(part);
      if (!match) throw new RangeError(`office hours: "${part}" must look like 09:00-12:00`);
      const [, h1, m1, h2, m2] = match.map(Number);
      if (m1 > 59 || m2 > 59) throw new RangeError(`office hours: "${part}" has minutes above 59`);
      return { opensAt: h1 * 60 + m1, closesAt: h2 * 60 + m2 };
    });
  return validateOfficeHours({ sessions });
}

/** Office hours as `"09:00-12:00,13:30-17:30"`. */
export function formatOfficeHours(hours: OfficeHours): string {
  return hours.sessions.map(formatSession).join(',');
}

function formatSession(s: OfficeSession): string {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${hhmm(s.opensAt)}-${hhmm(s.closesAt)}`;
}
