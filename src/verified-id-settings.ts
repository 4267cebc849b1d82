import type { VerificationPolicy } from './domain/verified-id';

/**
 * The Verified ID settings the bot runs a presentation request with (shared/spec/verified-id.md §1.2, §7.2): parsed once
 * from the VERIFIED_ID_* variables by src/config.ts, used by the Request Service adapter (src/entra/verified-id-client.ts)
 * for what goes into every request, and by the case workflow for what a presented credential must satisfy: the
 * `VerificationPolicy` part (credential type; accepted issuers, never empty since empty would mean any issuer, spec
 * §1.2; linked-domain hosts, lower case; the Face Check threshold, 70 to 100).
 */
export interface VerifiedIdSettings extends VerificationPolicy {
  /** The verifier tenant's DID (`did:web:…`): the request's `authority`. */
  readonly authority: string;
  /** `registration.clientName`: the verifier's name the user sees in Authenticator. */
  readonly clientName: string;
  /** The Request Service base URL, ending in `/` (production `https://verifiedid.did.msidentity.com/v1.0/`). */
  readonly endpoint: string;
  /** Where the Request Service posts callbacks: the bot's public `POST /api/verifiedid/callback`. */
  readonly callbackUrl: string;
  /**
   * Demo only, when VERIFIED_ID_CALLBACK_URL is not set: the callback goes to the address the bot actually listens on
   * (PORT may be 0, an ephemeral port known only after listening); `callbackUrl` is then the guess from PORT.
   */
  readonly callbackFromListener?: true;
  /** Presentation requests a case may make before it must fall back (1–5). */
  readonly maxAttempts: number;
}
