import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditAction, AuditEntry } from './audit-entry.entity';

export interface AuditRecord {
  action: AuditAction;
  actor?: { id: string; username: string } | null;
  target?: string | null;
  address?: string | null;
  detail?: Record<string, unknown>;
}

/** Writes audit entries; pass the transaction's manager when the change it records has one. */
@Injectable()
export class AuditTrail {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(record: AuditRecord, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(AuditEntry) : this.entries;
    const entry: Omit<AuditEntry, 'id' | 'at'> = {
      action: record.action,
      actorId: record.actor?.id ?? null,
      actorUsername: record.actor?.username ?? null,
      target: record.target ?? null,
      address: record.address ?? null,
      detail: record.detail ?? {},
    };
    // TypeORM's insert typing cannot express a jsonb column of unknown shape.
    await repository.insert(entry as never);
  }
}
