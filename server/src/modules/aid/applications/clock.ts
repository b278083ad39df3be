import { Injectable } from '@nestjs/common';

/**
 * The time of the aid-application rules (overdue after 24 h, notice period). Production reads the
 * system clock; tests running the app in-process shift it with `app.get(Clock).advance(ms)` instead of
 * waiting, so no test-only route exists.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves this clock forward (or back with a negative value). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
