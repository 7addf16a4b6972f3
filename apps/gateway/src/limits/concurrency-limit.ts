import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 with `Retry-After`: the caller (or everyone) holds as much of a resource as it may. */
export class TooManyRequestsError extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ statusCode: 429, error: 'Too Many Requests', message }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Holders of a scarce resource (an export's connection, a live stream), capped per caller and in all,
 * so that one caller cannot take what everyone shares and all callers cannot take the process down.
 * Callers are the rate limit's keys (callerKey), never raw identities.
 */
export class ConcurrencyLimit {
  private readonly held = new Map<string, number>();
  private total = 0;

  constructor(
    /** What is held, for the 429's message: "exports", "live streams". */
    private readonly what: string,
    private readonly limits: { perCaller: number; overall: number },
    /** What the 429 suggests: how long such a resource is usually held. */
    private readonly retryAfterSeconds: number,
  ) {}

  /** How many are held now, by everyone. */
  get inUse(): number {
    return this.total;
  }

  /** Takes one for `caller`, or throws TooManyRequestsError; the returned release may be called any number of times. */
  acquire(caller: string): () => void {
    const mine = this.held.get(caller) ?? 0;
    if (mine >= this.limits.perCaller)
      throw new TooManyRequestsError(
        `you have ${mine} ${this.what} open, the most one caller may have; retry when one ends`,
        this.retryAfterSeconds,
      );
    if (this.total >= this.limits.overall)
      throw new TooManyRequestsError(
        `the gateway serves ${this.total} ${this.what}, its limit; retry later`,
        this.retryAfterSeconds,
      );
    this.held.set(caller, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.held.get(caller) ?? 1) - 1;
      if (left === 0) this.held.delete(caller);
      else this.held.set(caller, left);
    };
  }
}
