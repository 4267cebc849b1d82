import { VerifiedIdError } from '../ports/verified-id';
import { fitsDeadline, type Timing } from '../resilience';

const WINDOW_MS = 1_000;

/**
 * Keeps this process under the Request Service's tenant limit ("2 RPS per tenant limit for issuance and
 * verifications", https://learn.microsoft.com/entra/verified-id/verifiable-credentials-configure-tenant-quick, spec
 * §1.4): at most `perSecond` requests in any one-second window. A request that would exceed it waits for the window to
 * move on, but only when that wait ends before the caller's deadline; otherwise it is refused as `throttled` at once,
 * with the wait as retryAfterMs, instead of queueing past a Teams click. Several instances of the bot share the tenant's
 * limit; the service's own 429 covers that (retried by the adapter within its budget).
 */
export class RequestRateLimiter {
  /** Start times of the requests in the current window, oldest first. */
  private readonly sent: number[] = [];

  constructor(
    private readonly perSecond: number,
    private readonly timing: Timing,
  ) {
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError(`perSecond must be a positive integer, got ${perSecond}`);
  }

  async acquire(deadline: number): Promise<void> {
    for (;;) {
      const now = this.timing.now();
      while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - WINDOW_MS) this.sent.shift();
      if (this.sent.length < this.perSecond) {
        this.sent.push(now);
        return;
      }
      const waitMs = (this.sent[0] ?? now) + WINDOW_MS - now;
      if (!fitsDeadline(now, waitMs, deadline)) {
        throw new VerifiedIdError(
          'throttled',
          'Too many Verified ID requests at once (the tenant allows 2 a second); try again in a moment.',
          undefined,
          undefined,
          waitMs,
        );
      }
      await this.timing.sleep(waitMs);
    }
  }
}
