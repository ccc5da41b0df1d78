import { Inject, Injectable, Logger, MessageEvent, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { interval, map, merge, Observable, Subject, throttleTime } from 'rxjs';
import type { KnownEvent } from '@hotline/contracts';
import { REDIS_CLIENT, SERVICE_ENVIRONMENT, ServiceEnvironment } from '@hotline/platform';

/** The projection's version: bumped after every commit that changed what the dashboard shows. */
export const PROJECTION_VERSION_KEY = 'metrics:version';

export interface ProjectionChange {
  version: number | null;
  /** How many events of each type the commit applied ({} for a formula or grading change). */
  types: Record<string, number>;
  at: string;
}

/**
 * 实时推送 — after each committed projection batch (or formula/grading change) the version in
 * Redis moves on, which retires every cached dashboard answer, and a change notice goes out on
 * Redis pub/sub to every metrics replica, which pushes it to its browsers (server-sent events).
 * Without Redis the notice still reaches this replica's own browsers.
 */
@Injectable()
export class LiveUpdates implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('live');
  private readonly changes = new Subject<ProjectionChange>();
  private subscriber: Redis | null = null;
  private readonly channel: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(SERVICE_ENVIRONMENT) env: ServiceEnvironment,
  ) {
    // ioredis prefixes keys, not channels.
    this.channel = `${env.REDIS_KEY_PREFIX}metrics:changes`;
  }

  onModuleInit(): void {
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, keyPrefix: undefined });
    subscriber.on('error', () => undefined); // the main client reports Redis trouble
    subscriber.on('message', (_channel, text: string) => {
      try {
        this.changes.next(JSON.parse(text) as ProjectionChange);
      } catch {
        // not ours
      }
    });
    void subscriber.subscribe(this.channel).catch((err) => this.logger.warn(`live updates without Redis: ${(err as Error).message}`));
    this.subscriber = subscriber;
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
    this.changes.complete();
  }

  /** After a projection commit: which events were applied. */
  eventsApplied(events: KnownEvent[]): Promise<void> {
    const types: Record<string, number> = {};
    for (const e of events) types[e.type] = (types[e.type] ?? 0) + 1;
    return this.announce(types);
  }

  /** Moves the version on and tells every replica. */
  async announce(types: Record<string, number> = {}): Promise<void> {
    const change: ProjectionChange = { version: null, types, at: new Date().toISOString() };
    try {
      change.version = await this.redis.incr(PROJECTION_VERSION_KEY);
      await this.redis.publish(this.channel, JSON.stringify(change));
    } catch {
      this.changes.next(change); // Redis away: at least this replica's browsers hear of it
    }
  }

  /** The stream one browser gets: changes at most once a second, and a heartbeat that keeps proxies from closing it. */
  stream(): Observable<MessageEvent> {
    const changes = this.changes.pipe(
      throttleTime(1_000, undefined, { leading: true, trailing: true }),
      map((change): MessageEvent => ({ type: 'change', data: change })),
    );
    const heartbeat = interval(15_000).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: { at: new Date().toISOString() } })));
    return merge(changes, heartbeat);
  }
}
