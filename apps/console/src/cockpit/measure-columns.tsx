import type { TableColumnsType } from 'antd';
import { I18n } from '../i18n/i18n';
import { MEASURES, RATES } from '../i18n/labels';
import { percent } from '../shared/time';

/** A count of the cockpit's tables: a positive one opens the tickets behind it. */
export function CountCell({ value, onOpen }: { value: number; onOpen: () => void }) {
  return value > 0 ? (
    <span className="stat-click" role="button" tabIndex={0} onClick={onOpen} onKeyDown={(e) => e.key === 'Enter' && onOpen()}>
      {value}
    </span>
  ) : (
    <span>0</span>
  );
}

/**
 * The measures (each count opening its tickets) and the rates of DOMAIN.md, as columns: what the
 * department table and the breakdown by district, domain, … show alike.
 */
export function measureColumns<R extends { rates?: Record<string, number | null> }>(
  name: I18n['name'],
  count: (row: R, measure: string) => number,
  open: (row: R, measure: string) => void,
): TableColumnsType<R> {
  return [
    ...Object.keys(MEASURES).map((m) => ({ title: name(MEASURES, m), key: m, render: (_: unknown, r: R) => <CountCell value={count(r, m)} onOpen={() => open(r, m)} /> })),
    ...Object.keys(RATES).map((rate) => ({ title: name(RATES, rate), key: rate, render: (_: unknown, r: R) => percent(r.rates?.[rate]) })),
  ];
}
