import { toOffsetIso } from '@hotline/contracts';

/** A history row of versioned master data (departments, routing rules, knowledge entries …). */
export interface VersionRow<Change, Snapshot> {
  version: number;
  change: Change;
  snapshot: Snapshot;
  changedBy: string;
  changedAt: Date;
}

/** A version as the admin APIs show it: the change, the state it left, who and when. */
export interface VersionView<Change, Snapshot> {
  version: number;
  change: Change;
  snapshot: Snapshot;
  changedBy: string;
  changedAt: string;
}

export function toVersionView<Change, Snapshot>(row: VersionRow<Change, Snapshot>): VersionView<Change, Snapshot> {
  return {
    version: row.version,
    change: row.change,
    snapshot: row.snapshot,
    changedBy: row.changedBy,
    changedAt: toOffsetIso(row.changedAt),
  };
}
