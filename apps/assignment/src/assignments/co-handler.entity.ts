import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 协办单位 — a department that adds its part before the main department replies. */
@Entity({ name: 'co_handler' })
export class CoHandler {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @PrimaryColumn({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'noted_at', type: 'timestamptz', nullable: true })
  notedAt: Date | null;
}
