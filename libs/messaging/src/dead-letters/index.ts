export * from './dead-letter-queue';
export { readTopicsToEnd } from './topic-snapshot';
export type { SnapshotRecord } from './topic-snapshot';
