import dayjs, { Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import relativeTime from 'dayjs/plugin/relativeTime';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(relativeTime);

/** The hotline works on Beijing time wherever the browser is. */
export const ZONE = 'Asia/Shanghai';

export function shanghai(value?: string | number | Date | null): Dayjs {
  return value === undefined || value === null ? dayjs().tz(ZONE) : dayjs(value).tz(ZONE);
}

export function formatTime(value: string | null | undefined): string {
  return value ? shanghai(value).format('YYYY-MM-DD HH:mm') : '—';
}

export function formatDay(value: string | null | undefined): string {
  return value ? shanghai(value).format('YYYY-MM-DD') : '—';
}

export const today = (): string => shanghai().format('YYYY-MM-DD');
export const thisMonth = (): string => shanghai().format('YYYY-MM');

/** "in 3 hours" / "3 小时前", in the console's language. */
export function fromNow(value: string | null | undefined, lang: 'zh' | 'en'): string {
  return value ? dayjs(value).locale(lang === 'zh' ? 'zh-cn' : 'en').fromNow() : '';
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}
