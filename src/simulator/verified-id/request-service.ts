import { randomUUID } from 'node:crypto';
import { VERIFIED_ID_AUDIENCE, type AppTokenSigner } from '../auth/app-token';
import type { Faults } from '../faults';
import type { SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import type { TenantState } from '../tenant-state';
import { CallbackSender, type CallbackRecord } from './callbacks';
import { parsePresentationRequest, type ParsedPresentationRequest } from './presentation-request';
import { RequestServiceError, serviceErrorResponse } from './service-errors';
import { walletFrom, type Wallet, type WalletSeed } from './wallet';

/** Where the simulated tenant serves the Request Service: `{simulator}/verifiedid/v1.0/` (config.ts points the demo bot there). */
export const REQUEST_SERVICE_PREFIX = 'verifiedid';

/** A presentation request's lifetime: 5 minutes (spec §1.4, documented for issuance; the samples keep state 300 s). */
const LIFETIME_SECONDS = 300;

/** "2 RPS per tenant limit for issuance and verifications" (quick setup; spec §1.4). */
const REQUESTS_PER_SECOND = 2;

/** Either documented permission lets an app create presentation requests (spec §1.1). */
const PRESENT_ROLES = ['VerifiableCredential.Create.PresentRequest', 'VerifiableCredential.Create.All'];

export type RequestState = 'created' | 'retrieved' | 'verified' | 'failed';

export interface PresentationRecord {
  readonly requestId: string;
  readonly request: ParsedPresentationRequest;
  readonly createdAt: string;
  /** Unix seconds, as the 201 answer gave it; the `expire` control moves it into the past. */
  expiry: number;
  state: RequestState;
  readonly callbacks: CallbackRecord[];
  /** The last callback sent, for the `duplicate` control. */
  lastBody?: { readonly requestStatus: string; readonly body: JsonObject };
}

export interface RequestServiceDeps {
  readonly tenant: TenantState;
  /**
   * Enforce the tenant's limit of 2 presentation requests a second (spec §1.4) with 429 tooManyRequests/transientError
   * and Retry-After: 1; on with the simulator's `throttling: 'graph'`, off otherwise so that tests on a pinned clock may
   * create many requests at one instant.
   */
  readonly enforceRateLimit: boolean;
  readonly signer: AppTokenSigner;
  readonly faults: Faults;
  readonly now: () => Date;
  readonly baseUrl: () => string;
}

/**
 * The simulated Verified ID Request Service (shared/spec/verified-id.md §7.5; the real one:
 * https://learn.microsoft.com/entra/verified-id/presentation-request-api, errors
 * https://learn.microsoft.com/entra/verified-id/error-codes): `createPresentationRequest` behind the
 * same client-credentials tokens as Graph, the presentation requests it holds, the wallet a person or a test plays
 * the user with, and the callbacks it posts to the verifier.
 */
export class SimulatedRequestService {
  readonly requests = new Map<string, PresentationRecord>();
  readonly callbacks = new CallbackSender();
  wallet: Wallet;
  /** When the last requests were accepted (ms), for the rate limit. */
  private recent: number[] = [];

  constructor(
    private readonly deps: RequestServiceDeps,
    private readonly walletSeed: WalletSeed,
  ) {
    this.wallet = walletFrom(walletSeed, deps.now());
  }

  /** POST /_simulator/reset: no requests, the wallet as seeded. Callbacks already on their way still arrive. */
  reset(): void {
    this.requests.clear();
    this.recent = [];
    this.wallet = walletFrom(this.walletSeed, this.deps.now());
  }

  /** A request under `/verifiedid/…`: segments after that prefix. */
  async answer(
    method: string,
    segments: readonly string[],
    headers: Readonly<Record<string, string>>,
    body: unknown,
    bodyInvalid: boolean,
  ): Promise<SimResponse> {
    const now = this.deps.now();
    try {
      return await this.create(method, segments, headers, body, bodyInvalid, now);
    } catch (e) {
      if (e instanceof RequestServiceError) return serviceErrorResponse(e, now);
      throw e;
    }
  }

  private async create(
    method: string,
    segments: readonly string[],
    headers: Readonly<Record<string, string>>,
    body: unknown,
    bodyInvalid: boolean,
    now: Date,
  ): Promise<SimResponse> {
    const path = `/${REQUEST_SERVICE_PREFIX}/${segments.join('/')}`;
    const [version, collection, action] = segments.map((s) => s.toLowerCase());
    const known = segments.length === 3 && version === 'v1.0' && collection === 'verifiablecredentials' && action === 'createpresentationrequest';
    if (!known) throw new RequestServiceError(404, 'notFound', `No resource at ${path}.`);
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '')?.[1];
    if (!bearer) throw new RequestServiceError(401, 'tokenError', 'The Authorization header is missing or is not a bearer token.');
    const verified = this.deps.signer.verify(bearer, now, VERIFIED_ID_AUDIENCE);
    if (!verified.ok) throw new RequestServiceError(401, 'tokenError', `The access token is not valid (${verified.problem}).`);
    const outcome = this.deps.faults.apply(method, path);
    if (outcome.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, outcome.delayMs));
    if (outcome.error) {
      const e = outcome.error;
      const inner = e.status === 429 || e.status === 503 ? 'transientError' : e.status === 401 || e.status === 403 ? 'tokenError' : 'internalError';
      throw new RequestServiceError(e.status, inner, 'Injected by the simulator\u2019s faults.', undefined, e.headers);
    }
    if (method !== 'POST') throw new RequestServiceError(405, 'methodNotAllowed', `${method} is not allowed on ${path}.`);
    if (!PRESENT_ROLES.some((r) => verified.claims.roles.includes(r))) {
      throw new RequestServiceError(403, 'tokenError', 'The token has no VerifiableCredential.Create.PresentRequest or VerifiableCredential.Create.All role.');
    }
    if (this.deps.enforceRateLimit) {
      this.recent = this.recent.filter((t) => t > now.getTime() - 1000);
      if (this.recent.length >= REQUESTS_PER_SECOND) {
        throw new RequestServiceError(429, 'transientError', 'The tenant\u2019s request rate limit was reached. Retry later.', undefined, {
          'Retry-After': '1',
        });
      }
      this.recent.push(now.getTime());
    }
    if (bodyInvalid) throw new RequestServiceError(400, 'badOrMissingField', 'The request body is not valid JSON.', 'body');
    const request = parsePresentationRequest(body, this.wallet.authority);
    const requestId = randomUUID();
    const expiry = Math.floor(now.getTime() / 1000) + LIFETIME_SECONDS;
    this.requests.set(requestId, { requestId, request, createdAt: now.toISOString(), expiry, state: 'created', callbacks: [] });
    const tenantId = verified.claims.tid;
    const url = `openid-vc://?request_uri=${this.deps.baseUrl()}/${REQUEST_SERVICE_PREFIX}/v1.0/${tenantId}/verifiableCredentials/presentationRequests/${requestId}`;
    const answer: JsonObject = { requestId, url, expiry };
    // A real QR code is a PNG of the url; this stands in for it with the right data URL prefix.
    if (request.includeQRCode) answer.qrCode = `data:image/png;base64,${Buffer.from(url).toString('base64')}`;
    return { status: 201, body: answer };
  }

  /** Whether the request can no longer be answered at `now`. */
  expired(record: PresentationRecord, now: Date): boolean {
    return now.getTime() >= record.expiry * 1000;
  }

  /** Sends one callback with the request's state and headers, and records it. */
  sendCallback(record: PresentationRecord, requestStatus: string, extra: JsonObject = {}): CallbackRecord {
    const body: JsonObject = { requestId: record.requestId, requestStatus, state: record.request.callback.state, ...extra };
    return this.post(record, requestStatus, body);
  }

  /** Sends the last callback again, unchanged. */
  resend(record: PresentationRecord): CallbackRecord | undefined {
    return record.lastBody ? this.post(record, record.lastBody.requestStatus, record.lastBody.body) : undefined;
  }

  private post(record: PresentationRecord, requestStatus: string, body: JsonObject): CallbackRecord {
    const sent: CallbackRecord = { requestStatus, sentAt: this.deps.now().toISOString(), outcome: 'pending' };
    record.callbacks.push(sent);
    record.lastBody = { requestStatus, body };
    this.callbacks.send(record.request.callback.url, record.request.callback.headers, body, sent);
    return sent;
  }
}
