/**
 * The Verified ID Request Service adapter: `POST {endpoint}verifiableCredentials/createPresentationRequest` with an
 * app-only token for the Request Service (shared/spec/verified-id.md §1). The same code talks to
 * https://verifiedid.did.msidentity.com/v1.0/ and to the demo's simulated Request Service; only `settings.endpoint` and
 * the credential differ. The call is made inside a Teams click, so everything it may wait for fits a short budget.
 */
import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../ports/logger';
import {
  VerifiedIdError,
  type PresentationRequestCreated,
  type PresentationRequestInput,
  type VerifiedIdFailure,
  type VerifiedIdService,
} from '../ports/verified-id';
import { backOffMs, fitsDeadline, realTiming, retryAfterFrom, type Timing } from '../resilience';
import type { VerifiedIdSettings } from '../verified-id-settings';
import { RequestRateLimiter } from './request-rate-limiter';

/**
 * The Request Service's resource ("Verifiable Credentials Service Request", appId 3db474b9-…): the client credentials
 * scope the token is asked for (https://learn.microsoft.com/entra/verified-id/get-started-request-api, spec §1.1).
 */
export const VERIFIED_ID_SCOPE = '3db474b9-6a0c-4840-96ac-1fceb342124f/.default';

/** The application permissions that let an app create presentation requests (spec §1.1); either will do. */
export const PRESENT_REQUEST_ROLES: readonly string[] = ['VerifiableCredential.Create.PresentRequest', 'VerifiableCredential.Create.All'];

/** A token is renewed this long before it expires (azure-identity's own refresh window is 5 minutes). */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

export interface VerifiedIdClientOptions {
  /** Time, sleeping and jitter; tests pass virtual ones so nothing sleeps for real. */
  readonly timing?: Timing;
  /** Everything one call may take, retries included (default 3 s: it runs inside a Teams click). */
  readonly budgetMs?: number;
  /** One HTTP attempt's limit (default 2.5 s), cut to what is left of the budget. */
  readonly attemptTimeoutMs?: number;
  /** First back-off when a 429/503 gives no Retry-After (default 250 ms). */
  readonly baseDelayMs?: number;
  /** Requests per second this process sends (default 2: the tenant's limit, spec §1.4). */
  readonly requestsPerSecond?: number;
  readonly logger?: Logger;
  /** Default the global fetch. */
  readonly fetch?: typeof fetch;
}

/** The body of `createPresentationRequest` (spec §1.2, §7.2 step 2). */
export interface PresentationRequestPayload {
  readonly authority: string;
  readonly includeQRCode: false;
  readonly includeReceipt: false;
  readonly registration: { readonly clientName: string };
  readonly callback: { readonly url: string; readonly state: string; readonly headers: { readonly 'api-key': string } };
  readonly requestedCredentials: readonly [
    {
      readonly type: string;
      readonly acceptedIssuers: readonly string[];
      readonly constraints: readonly [{ readonly claimName: 'revocationId'; readonly values: readonly string[] }];
      readonly configuration: {
        readonly validation: {
          readonly allowRevoked: false;
          readonly validateLinkedDomain: true;
          readonly faceCheck: { readonly sourcePhotoClaimName: 'photo'; readonly matchConfidenceThreshold: number };
        };
      };
    },
  ];
}

/** What the settings fix and the case adds, as the Request Service wants it. Pure, so a test can read it. */
export function presentationRequestPayload(settings: VerifiedIdSettings, input: PresentationRequestInput): PresentationRequestPayload {
  return {
    authority: settings.authority,
    includeQRCode: false,
    // "includeReceipt must be false as receipt isn't supported" with Face Check (spec §3).
    includeReceipt: false,
    registration: { clientName: settings.clientName },
    callback: { url: settings.callbackUrl, state: input.state, headers: { 'api-key': input.apiKey } },
    requestedCredentials: [
      {
        type: settings.credentialType,
        acceptedIssuers: [...settings.acceptedIssuers],
        constraints: [{ claimName: 'revocationId', values: [...input.userPrincipalNames] }],
        configuration: {
          validation: {
            allowRevoked: false,
            validateLinkedDomain: true,
            faceCheck: { sourcePhotoClaimName: 'photo', matchConfidenceThreshold: settings.faceMatchThreshold },
          },
        },
      },
    ],
  };
}

/** The error body of spec §1.3; every field optional, since a gateway in between may answer anything. */
interface ServiceErrorBody {
  readonly requestId?: unknown;
  readonly error?: { readonly code?: unknown; readonly message?: unknown; readonly innererror?: { readonly code?: unknown; readonly target?: unknown } };
}

function failureOf(status: number): VerifiedIdFailure {
  if (status === 400) return 'badRequest';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 429) return 'throttled';
  return 'unavailable';
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined);

/**
 * A refusal as VerifiedIdError. The message names the status and the service's codes and field, never the service's
 * message text: that may quote what was sent (the callback URL, the state), which must not reach a log.
 */
function refusal(status: number, body: ServiceErrorBody, retryAfterMs: number | undefined): VerifiedIdError {
  const code = text(body.error?.code);
  const innerCode = text(body.error?.innererror?.code);
  const target = text(body.error?.innererror?.target);
  const message = `The Verified ID Request Service refused the presentation request (HTTP ${status}${code ? ` ${code}` : ''}${innerCode ? `/${innerCode}` : ''}${target ? `, field ${target}` : ''}).`;
  return new VerifiedIdError(failureOf(status), message, innerCode, text(body.requestId), retryAfterMs);
}

async function bodyOf(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

/** A token cached until shortly before it expires, one request at a time: getToken callers must cache (spec §1.1). */
class CachedToken {
  private cached?: { token: string; expiresOnTimestamp: number };
  private pending?: Promise<string>;

  constructor(
    private readonly credential: TokenCredential,
    private readonly now: () => number,
  ) {}

  /** `timeoutMs` bounds a token request (azure-identity honours `abortSignal`), so a slow identity endpoint cannot hold a click. */
  get(timeoutMs: number): Promise<string> {
    if (this.cached && this.cached.expiresOnTimestamp - REFRESH_BEFORE_EXPIRY_MS > this.now()) return Promise.resolve(this.cached.token);
    this.pending ??= this.acquire(timeoutMs).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** After a 401: the token was refused, so the next call asks for a new one. */
  forget(): void {
    this.cached = undefined;
  }

  private async acquire(timeoutMs: number): Promise<string> {
    let token: Awaited<ReturnType<TokenCredential['getToken']>>;
    try {
      token = await this.credential.getToken(VERIFIED_ID_SCOPE, { abortSignal: AbortSignal.timeout(Math.max(1, timeoutMs)) });
    } catch (error) {
      throw new VerifiedIdError('unauthorized', `No token for the Verified ID Request Service: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
    if (!token) throw new VerifiedIdError('unauthorized', 'No token for the Verified ID Request Service: the credential returned none.');
    this.cached = { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp };
    return token.token;
  }
}

function created(body: unknown): PresentationRequestCreated {
  const b = (body ?? {}) as { requestId?: unknown; url?: unknown; expiry?: unknown };
  if (typeof b.requestId !== 'string' || typeof b.url !== 'string' || typeof b.expiry !== 'number' || !Number.isFinite(b.expiry)) {
    throw new VerifiedIdError('unavailable', 'The Verified ID Request Service answered 201 without requestId, url and expiry.');
  }
  return { requestId: b.requestId, url: b.url, expiresAt: new Date(b.expiry * 1000).toISOString() };
}

/**
 * Builds the VerifiedIdService on the Request Service. `credential` is the bot's app-only credential, the one Graph
 * uses (src/entra/credentials.ts; the simulated tenant's in the demo). Throws VerifiedIdError: a refusal as the
 * service gave it, `throttled`/`unavailable` with retryAfterMs when a 429/503 did not clear within the budget, and
 * `throttled` when this process has already sent its share of the tenant's 2 requests a second.
 */
export function createVerifiedIdService(settings: VerifiedIdSettings, credential: TokenCredential, options: VerifiedIdClientOptions = {}): VerifiedIdService {
  const timing = options.timing ?? realTiming;
  const budgetMs = options.budgetMs ?? 3_000;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 2_500;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const doFetch = options.fetch ?? fetch;
  const token = new CachedToken(credential, timing.now);
  const limiter = new RequestRateLimiter(options.requestsPerSecond ?? 2, timing);
  const url = `${settings.endpoint}verifiableCredentials/createPresentationRequest`;

  async function attempt(payload: string, deadline: number): Promise<Response> {
    const bearer = await token.get(deadline - timing.now());
    const timeoutMs = Math.max(1, Math.min(attemptTimeoutMs, deadline - timing.now()));
    try {
      return await doFetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // By name, not instanceof: the abort is a DOMException, whose class differs between realms (jest's, for one).
      const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new VerifiedIdError(
        'unavailable',
        timedOut ? `The Verified ID Request Service did not answer within ${timeoutMs} ms.` : 'The Verified ID Request Service could not be reached.',
      );
    }
  }

  return {
    async createPresentationRequest(input) {
      const deadline = timing.now() + budgetMs;
      const payload = JSON.stringify(presentationRequestPayload(settings, input));
      for (let repeat = 0; ; repeat++) {
        await limiter.acquire(deadline);
        const res = await attempt(payload, deadline);
        if (res.status === 201) return created(await bodyOf(res));
        const retryAfterMs = retryAfterFrom(res.headers, timing.now());
        const error = refusal(res.status, (await bodyOf(res)) ?? {}, retryAfterMs);
        if (res.status === 401) token.forget();
        const transient = res.status === 429 || res.status === 503;
        const waitMs = retryAfterMs ?? backOffMs(repeat, baseDelayMs, timing.random);
        if (!transient || !fitsDeadline(timing.now(), waitMs, deadline)) {
          options.logger?.warn('verified id: presentation request refused', {
            status: res.status,
            failure: error.failure,
            innerCode: error.innerCode,
            serviceRequestId: error.serviceRequestId,
          });
          throw error;
        }
        options.logger?.info('verified id: request service busy, trying again', { status: res.status, waitMs, serviceRequestId: error.serviceRequestId });
        await timing.sleep(waitMs);
      }
    },
  };
}
