/**
 * The Verified ID settings the bot runs a presentation request with (shared/spec/verified-id.md §1.2, §7.2): parsed once
 * from the VERIFIED_ID_* variables by src/config.ts, used by the Request Service adapter (src/entra/verified-id-client.ts)
 * for what goes into every request, and by the case workflow for what a presented credential must satisfy.
 */
export interface VerifiedIdSettings {
  /** The verifier tenant's DID (`did:web:…`): the request's `authority`. */
  readonly authority: string;
  /** DIDs whose credentials are accepted (`acceptedIssuers`); never empty (empty would mean any issuer, spec §1.2). */
  readonly acceptedIssuers: readonly string[];
  /** Host names the credential's verified linked domain (`domainValidation.url`) may have, lower case. */
  readonly linkedDomains: readonly string[];
  /** Face Check `matchConfidenceThreshold`: a whole number from 70 (our floor) to 100. */
  readonly faceMatchThreshold: number;
  /** The credential type requested, e.g. `VerifiedEmployee`. */
  readonly credentialType: string;
  /** `registration.clientName`: the verifier's name the user sees in Authenticator. */
  readonly clientName: string;
  /** The Request Service base URL, ending in `/` (production `https://verifiedid.did.msidentity.com/v1.0/`). */
  readonly endpoint: string;
  /** Where the Request Service posts callbacks: the bot's public `POST /api/verifiedid/callback`. */
  readonly callbackUrl: string;
  /** Presentation requests a case may make before it must fall back (1–5). */
  readonly maxAttempts: number;
}
