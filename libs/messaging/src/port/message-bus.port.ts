/**
 * Our own small port onto the broker. Services and the rest of this library speak only these
 * types, so replacing kafkajs (unmaintained since 2023) touches the `kafka/` folder alone.
 */
export interface OutgoingMessage {
  topic: string;
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker timestamp, ms since epoch, as a string. */
  timestamp: string;
}

export interface BatchContext {
  /** Marks a message done: its offset may be committed. Call in order. */
  markProcessed(message: IncomingMessage): void;
  /** Commits the offsets marked so far (the broker may batch them). */
  commit(): Promise<void>;
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or lost the partition: stop work promptly. */
  isActive(): boolean;
}

export type BatchHandler = (messages: IncomingMessage[], context: BatchContext) => Promise<void>;

export interface SubscriptionOptions {
  groupId: string;
  topics: string[];
  /** Where a new group starts; existing groups resume from their committed offsets. */
  fromBeginning: boolean;
  handleBatch: BatchHandler;
  /** How many partitions are worked on at the same time. */
  concurrency?: number;
}

export interface Subscription {
  /** True once the group has been joined and partitions assigned. */
  isJoined(): boolean;
  stop(): Promise<void>;
}

export interface MessagePublisher {
  /** Publishes in order with acks from all in-sync replicas; resolves when acknowledged. */
  publish(messages: OutgoingMessage[]): Promise<void>;
}

export interface MessageSubscriber {
  subscribe(options: SubscriptionOptions): Promise<Subscription>;
}

export interface MessageBus extends MessagePublisher, MessageSubscriber {
  connect(): Promise<void>;
  /** Creates the topics that do not exist yet. */
  ensureTopics(topics: string[]): Promise<void>;
  /** Messages a consumer group has still to read, per partition. */
  consumerLag(groupId: string, topics: string[]): Promise<{ topic: string; partition: number; lag: number }[]>;
  /** Reachable and answering metadata requests. */
  ping(): Promise<boolean>;
  disconnect(): Promise<void>;
}
