import { Injectable, OnModuleInit } from '@nestjs/common';
import { Telemetry } from '@hotline/platform';
import { DataSource } from 'typeorm';

/**
 * What an operator watches of the timers: open tickets by SLA state (a running clock's next
 * stage tells it) and how far the scanner is behind the oldest clock that fell due.
 */
@Injectable()
export class SupervisionGauges implements OnModuleInit {
  constructor(
    private readonly telemetry: Telemetry,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.telemetry.gauge('hotline_open_tickets', 'Tickets with a clock running or paused, by SLA state', ['sla_state'], async () => {
      const rows: { sla_state: string; n: string }[] = await this.dataSource.query(
        `SELECT CASE WHEN status = 'paused' THEN 'paused'
                     WHEN stage = 'warning' THEN 'on-time'
                     WHEN stage = 'deadline' THEN 'warning'
                     ELSE 'overdue' END AS sla_state,
                count(DISTINCT ticket_id) AS n
           FROM supervision.sla_clock WHERE status IN ('running', 'paused') GROUP BY 1`,
      );
      return rows.map((r) => ({ labels: { sla_state: r.sla_state }, value: Number(r.n) }));
    });
    this.telemetry.gauge('hotline_sla_scanner_lag_seconds', 'Seconds since the oldest clock stage fell due without being fired', [], async () => {
      const [row]: { lag: number | null }[] = await this.dataSource.query(
        `SELECT extract(epoch FROM now() - min(next_due_at))::float AS lag
           FROM supervision.sla_clock WHERE status = 'running' AND stage <> 'done' AND next_due_at <= now()`,
      );
      return [{ value: Math.max(0, row?.lag ?? 0) }];
    });
  }
}
