import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { EventEmitter } from 'events';
import type Redis from 'ioredis';
import { RedisConnection } from './redis.provider';

const CHANNEL = 'union:invalidate';
/** This process's id on the channel, so it does not apply its own messages twice. */
const INSTANCE = randomBytes(6).toString('hex');

/**
 * Tells every API process that something it may hold in memory changed (`topic` + `id`, e.g.
 * `campaign` 12). Delivered in this process at once; to the other processes through Redis pub/sub
 * when REDIS_URL is set (a dedicated subscriber connection), otherwise only in-process.
 * Delivery is best-effort: every cache that listens also bounds its own staleness (a TTL or a poll
 * of at most 1 s), so a lost message costs at most that delay, never correctness of stock.
 */
@Injectable()
export class InvalidationBus implements OnApplicationShutdown {
  private readonly local = new EventEmitter().setMaxListeners(100);
  private readonly sub: Redis | null;
  private readonly log = new Logger('InvalidationBus');

  constructor(private readonly redis: RedisConnection) {
    this.sub = redis.client ? redis.client.duplicate({ enableOfflineQueue: true }) : null;
    if (this.sub) {
      this.sub.subscribe(CHANNEL).catch((e) => this.log.warn(`subscribe failed: ${(e as Error).message}`));
      this.sub.on('message', (_ch: string, msg: string) => {
        const [topic, id, origin] = msg.split(':');
        if (origin !== INSTANCE) this.local.emit(topic, Number(id));
      });
      this.sub.on('error', () => undefined);
    }
  }

  /** Listens to `topic` (from this process and, with Redis, from every other). */
  on(topic: string, listener: (id: number) => void): void {
    this.local.on(topic, listener);
  }

  /** Announces a change of `topic` `id`: here at once, elsewhere through Redis when configured (errors ignored: TTLs bound staleness). */
  publish(topic: string, id: number): void {
    this.local.emit(topic, id);
    this.redis.client?.publish(CHANNEL, `${topic}:${id}:${INSTANCE}`).catch(() => undefined);
  }

  /** Drops the subscriber connection (nothing to flush; `quit` could wait on a Redis that is down). */
  onApplicationShutdown(): void {
    this.sub?.disconnect();
  }
}
