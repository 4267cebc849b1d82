import type { Clock } from '../../src/ports/clock';
import {
  VerifiedIdError,
  type PresentationRequestCreated,
  type PresentationRequestInput,
  type VerifiedIdDeps,
  type VerifiedIdService,
} from '../../src/ports/verified-id';

/** The Verified ID policy the unit tests run under: the demo tenant's authority, threshold 85. */
export const TEST_POLICY = {
  credentialType: 'VerifiedEmployee',
  acceptedIssuers: ['did:web:verifiedid.contoso.com'],
  linkedDomains: ['contoso.com'],
  faceMatchThreshold: 85,
} as const;

/**
 * The Request Service as the unit tier sees it: keeps every request it was sent (including the state and api-key, which
 * the real service would echo back in callbacks), answers with sequential request ids and a five-minute expiry, or
 * with the refusal a test queued.
 */
export class FakeVerifiedIdService implements VerifiedIdService {
  readonly requests: PresentationRequestInput[] = [];
  private readonly refusals: VerifiedIdError[] = [];

  constructor(private readonly clock: Clock) {}

  refuseNext(error: VerifiedIdError = new VerifiedIdError('throttled', 'Too many requests', 'transientError', 'svc-1', 2000)): void {
    this.refusals.push(error);
  }

  createPresentationRequest(input: PresentationRequestInput): Promise<PresentationRequestCreated> {
    const refusal = this.refusals.shift();
    if (refusal) return Promise.reject(refusal);
    this.requests.push(input);
    const requestId = `vid-${String(this.requests.length).padStart(4, '0')}`;
    return Promise.resolve({
      requestId,
      url: `openid-vc://?request_uri=https://verifiedid.did.msidentity.com/v1.0/tenant/verifiableCredentials/presentationRequests/${requestId}`,
      expiresAt: new Date(this.clock.now().getTime() + 300_000).toISOString(),
    });
  }

  /** The last request's state and key, as the service would send them back in a callback. */
  last(): PresentationRequestInput {
    const last = this.requests[this.requests.length - 1];
    if (!last) throw new Error('no presentation request was made');
    return last;
  }
}

export function fakeVerifiedIdDeps(service: VerifiedIdService, maxAttempts = 3): VerifiedIdDeps {
  return { service, policy: { ...TEST_POLICY, acceptedIssuers: [...TEST_POLICY.acceptedIssuers], linkedDomains: [...TEST_POLICY.linkedDomains] }, maxAttempts };
}
