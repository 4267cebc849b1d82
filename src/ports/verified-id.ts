import type { VerificationPolicy } from '../domain/verified-id';

/**
 * The Verified ID Request Service, as the case use cases see it (shared/spec/verified-id.md §1, §7.2). The adapter
 * (src/entra/verified-id-client.ts) talks to `https://verifiedid.did.msidentity.com/v1.0/` in production and to the
 * simulated Request Service in the demo, through the same code path. The result of a request never comes back from
 * this call: it arrives later at the bot's callback endpoint (POST /api/verifiedid/callback).
 */

/** What one presentation request asks for. The adapter adds what configuration fixes (authority, issuers, threshold). */
export interface PresentationRequestInput {
  /**
   * Echoed in every callback (`callback.state`): binds the callback to one attempt of one case. Random, at least 128
   * bits, never reused.
   */
  readonly state: string;
  /** Sent as the `api-key` callback header; the bot keeps only its hash. Never logged. */
  readonly apiKey: string;
  /** The UPN(s) the wallet may offer a card for: a `revocationId` constraint (spec §5). */
  readonly userPrincipalNames: readonly string[];
}

export interface PresentationRequestCreated {
  readonly requestId: string;
  /** The `openid-vc://` link for the user's Authenticator: shown to the agent only, never to the thread or a log. */
  readonly url: string;
  /** When the Request Service stops accepting the presentation (from its `expiry`, Unix seconds). */
  readonly expiresAt: string;
}

/** How the Request Service refused (spec §1.3): `error.code` and, where given, `innererror.code`. */
export type VerifiedIdFailure = 'badRequest' | 'unauthorized' | 'forbidden' | 'notFound' | 'throttled' | 'unavailable' | 'notConfigured';

export class VerifiedIdError extends Error {
  constructor(
    readonly failure: VerifiedIdFailure,
    message: string,
    /** The service's `innererror.code` (e.g. `badOrMissingField`, `tokenError`, `transientError`). */
    readonly innerCode?: string,
    /** The service's `requestId` for Microsoft support; not a presentation request id. */
    readonly serviceRequestId?: string,
    /** From Retry-After on 429/503, when the service sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'VerifiedIdError';
  }
}

/** What the bot asks of the Request Service. Throws VerifiedIdError on a refusal or when it cannot be reached. */
export interface VerifiedIdService {
  createPresentationRequest(input: PresentationRequestInput): Promise<PresentationRequestCreated>;
}

/** What the case use cases need of Verified ID: the service, and the rules its answers are decided by. */
export interface VerifiedIdDeps {
  readonly service: VerifiedIdService;
  /** Credential type, accepted issuers, linked domains and the Face Check threshold the request asked for. */
  readonly policy: VerificationPolicy;
  /** Presentation requests per case (each costs a Face Check, which is billed; spec §3). */
  readonly maxAttempts: number;
}
