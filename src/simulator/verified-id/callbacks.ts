import type { JsonObject } from '../json';

/** One callback the simulated service sent: when, which status, and what the receiver answered. */
export interface CallbackRecord {
  readonly requestStatus: string;
  readonly sentAt: string;
  /** The receiver's HTTP status; `unreachable` when the POST failed; `pending` until it is known. */
  outcome: number | 'unreachable' | 'pending';
}

/** How long one callback may take before it counts as unreachable. */
const CALLBACK_TIMEOUT_MS = 10_000;

/**
 * Posts callbacks as the Request Service does: `POST callback.url` with `Content-Type: application/json` and exactly
 * the `callback.headers` the request gave (spec §2.3, §7.5), asynchronously: the control that causes a callback answers
 * before it is delivered. Retries, ordering and duplicates of the real service are not documented (spec §2.3); this one
 * sends each callback once (the `duplicate` control re-sends one on purpose). `idle()` resolves when every callback
 * sent so far has its outcome.
 */
export class CallbackSender {
  private readonly inFlight = new Set<Promise<void>>();

  send(url: string, headers: Readonly<Record<string, string>>, body: JsonObject, record: CallbackRecord): void {
    const delivery = fetch(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    })
      .then(async (res) => {
        record.outcome = res.status;
        await res.arrayBuffer().catch(() => undefined);
      })
      .catch(() => {
        record.outcome = 'unreachable';
      });
    const tracked = delivery.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
