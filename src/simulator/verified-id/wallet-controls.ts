import { z } from 'zod';
import { PERMISSION_NAME } from '../auth/demo-app';
import { GraphHttpError, gatewayErrors } from '../errors';
import type { SimResponse } from '../http-types';
import type { JsonObject } from '../json';
import type { TenantState } from '../tenant-state';
import { presentCard } from './present-card';
import type { PresentationRecord, SimulatedRequestService } from './request-service';
import { credentialDate, type WalletCard } from './wallet';

/** What a control did, for a JSON caller and for the admin page's notice. */
export interface VerifiedIdControlResult {
  readonly response: SimResponse;
  readonly notice: string;
}

const score = z.coerce.number().min(0).max(100);

/** A card described in full by a test (spec §7.5's `credential`), instead of one from the seeded wallet. */
const CredentialSchema = z
  .object({
    type: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    issuer: z.string().min(1),
    claims: z.record(z.string(), z.string()),
    issuanceDate: z.string().datetime(),
    expirationDate: z.string().datetime(),
    revocationStatus: z.enum(['VALID', 'REVOKED']).default('VALID'),
    domainUrl: z.string().url(),
    /** Whether that linked domain is verified (default true). */
    domainVerified: z.boolean().default(true),
    photoClaim: z.string().min(1).default('photo'),
  })
  .strict();

const PresentSchema = z.union([
  z.object({ cardId: z.string().min(1), faceScore: score.optional() }).strict(),
  z.object({ credential: CredentialSchema, faceScore: score.optional() }).strict(),
]);
const ErrorSchema = z.object({ code: z.string().min(1).max(100), message: z.string().min(1).max(500) }).strict();
const PermissionsSchema = z.object({ verifiedIdPermissions: z.array(z.string().regex(PERMISSION_NAME)) }).strict();

function invalid(what: string, error: z.ZodError): GraphHttpError {
  return gatewayErrors.badRequest(`Invalid ${what}: ${error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
}

const conflict = (message: string): GraphHttpError => new GraphHttpError(409, 'Conflict', message);

/** A request as the controls list it: never the api-key, the state or the callback URL. */
export function requestView(record: PresentationRecord, now: Date, expired: boolean): JsonObject {
  const requested = record.request.requestedCredentials[0];
  const target = requested?.constraints.flatMap((c) => ('values' in c ? [...c.values] : [])) ?? [];
  return {
    requestId: record.requestId,
    state: record.state,
    expired,
    createdDateTime: record.createdAt,
    expiryDateTime: new Date(record.expiry * 1000).toISOString(),
    secondsLeft: Math.max(0, Math.floor(record.expiry - now.getTime() / 1000)),
    type: requested?.type ?? null,
    targetUpns: target,
    faceMatchThreshold: requested?.faceCheck?.matchConfidenceThreshold ?? null,
    callbackHeaderNames: Object.keys(record.request.callback.headers),
    callbacks: record.callbacks.map((c) => ({ requestStatus: c.requestStatus, sentAt: c.sentAt, outcome: c.outcome })),
  };
}

function cardView(card: WalletCard): JsonObject {
  return {
    id: card.id,
    holder: card.holder,
    label: card.label,
    type: [...card.type],
    issuer: card.issuer,
    issuanceDate: card.issuanceDate,
    expirationDate: card.expirationDate,
    revocationStatus: card.revocationStatus,
  };
}

function cardFrom(service: SimulatedRequestService, body: z.infer<typeof PresentSchema>): WalletCard {
  if ('cardId' in body) {
    const card = service.wallet.cards.find((c) => c.id === body.cardId);
    if (!card) throw new GraphHttpError(404, 'NotFound', `The wallet has no card ${body.cardId}.`);
    return card;
  }
  const c = body.credential;
  return {
    id: `custom-${c.issuer}-${c.issuanceDate}`,
    holder: c.claims['revocationId'] ?? '',
    label: 'described by the caller',
    type: typeof c.type === 'string' ? ['VerifiableCredential', c.type] : c.type,
    issuer: c.issuer,
    claims: c.claims,
    photoClaim: c.photoClaim,
    issuanceDate: credentialDate(new Date(c.issuanceDate).toISOString()),
    expirationDate: credentialDate(new Date(c.expirationDate).toISOString()),
    revocationStatus: c.revocationStatus,
    domain: { url: c.domainUrl, verified: c.domainVerified },
  };
}

/** A form sends every field as text; a JSON caller sends numbers. */
function presentBody(body: unknown, form: boolean): unknown {
  if (!form) return body;
  const fields = body as Record<string, string>;
  return { cardId: fields['cardId'], ...(fields['faceScore'] !== undefined ? { faceScore: fields['faceScore'] } : {}) };
}

/**
 * The test-only wallet controls under /_simulator/verifiedid/ (spec §7.5; invented, no real counterpart), where a test
 * or a person on the admin page plays the user holding Authenticator:
 * - `GET requests`, `GET wallet`; `PUT permissions` `{verifiedIdPermissions}` (the app's grants on the Request Service);
 * - `POST requests/{id}/retrieve` (the link was opened: `request_retrieved`), `…/present` `{cardId | credential, faceScore}`,
 *   `…/error` `{code, message}` (`presentation_error`), `…/duplicate` (the last callback again), `…/expire` (the request's
 *   expiry moves into the past; nothing is sent: no expiry callback is documented, spec §2.1).
 * Sending answers 202 before the callback is delivered; the request list shows each delivery's outcome.
 */
export function verifiedIdControl(
  service: SimulatedRequestService,
  tenant: TenantState,
  now: Date,
  req: { method: string; segments: readonly string[]; body: unknown; form: boolean },
): VerifiedIdControlResult {
  const { method, segments, body, form } = req;
  const [first, id, action] = segments;
  if (first === 'requests' && segments.length === 1 && method === 'GET') {
    const value = [...service.requests.values()].map((r) => requestView(r, now, service.expired(r, now)));
    return { response: { status: 200, body: { value } }, notice: 'Done.' };
  }
  if (first === 'wallet' && segments.length === 1 && method === 'GET') {
    return { response: { status: 200, body: { authority: service.wallet.authority, value: service.wallet.cards.map(cardView) } }, notice: 'Done.' };
  }
  if (first === 'permissions' && segments.length === 1 && method === 'PUT') {
    const parsed = PermissionsSchema.safeParse(body);
    if (!parsed.success) throw invalid('permissions', parsed.error);
    tenant.callerApp.verifiedIdPermissions = [...new Set(parsed.data.verifiedIdPermissions)];
    return { response: { status: 200, body: { verifiedIdPermissions: [...tenant.callerApp.verifiedIdPermissions] } }, notice: 'Permissions changed.' };
  }
  if (first !== 'requests' || id === undefined || action === undefined || segments.length !== 3 || method !== 'POST') {
    throw new GraphHttpError(404, 'NotFound', `The simulator has no control endpoint ${method} /_simulator/verifiedid/${segments.join('/')}.`);
  }
  const record = service.requests.get(id);
  if (!record) throw new GraphHttpError(404, 'NotFound', `No presentation request ${id}.`);
  const sent = (what: string): VerifiedIdControlResult => ({
    response: { status: 202, body: { ...requestView(record, now, service.expired(record, now)), sent: what } },
    notice: `Sent ${what} to the bot.`,
  });
  if (action === 'duplicate') {
    if (!service.resend(record)) throw conflict('Nothing was sent for this request yet.');
    return sent(`${record.lastBody?.requestStatus ?? 'the last callback'} again`);
  }
  if (action === 'expire') {
    record.expiry = Math.min(record.expiry, Math.floor(now.getTime() / 1000) - 1);
    return { response: { status: 200, body: requestView(record, now, true) }, notice: 'The request expired; nothing was sent.' };
  }
  if (service.expired(record, now)) throw conflict('The presentation request has expired: Authenticator can no longer answer it.');
  if (record.state === 'verified' || record.state === 'failed') throw conflict(`The presentation request is already ${record.state}.`);
  if (action === 'retrieve') {
    record.state = 'retrieved';
    service.sendCallback(record, 'request_retrieved');
    return sent('request_retrieved');
  }
  if (action === 'error') {
    const parsed = ErrorSchema.safeParse(body);
    if (!parsed.success) throw invalid('error', parsed.error);
    record.state = 'failed';
    service.sendCallback(record, 'presentation_error', { error: { code: parsed.data.code, message: parsed.data.message } });
    return sent('presentation_error');
  }
  if (action === 'present') {
    const parsed = PresentSchema.safeParse(presentBody(body, form));
    if (!parsed.success) throw invalid('presentation', parsed.error);
    const requested = record.request.requestedCredentials[0];
    if (!requested) throw conflict('The request asks for no credential.');
    if (requested.faceCheck && parsed.data.faceScore === undefined) throw gatewayErrors.badRequest('This request uses Face Check: send faceScore (0-100).');
    const outcome = presentCard(requested, cardFrom(service, parsed.data), parsed.data.faceScore, now);
    if (outcome.kind === 'notOffered') {
      throw conflict(`Authenticator would not offer this card for the request (${outcome.reason}): the user cannot present it, and nothing is sent.`);
    }
    if (outcome.kind === 'error') {
      record.state = 'failed';
      service.sendCallback(record, 'presentation_error', { error: { code: outcome.code, message: outcome.message } });
      return sent('presentation_error');
    }
    record.state = 'verified';
    service.sendCallback(record, 'presentation_verified', { subject: outcome.subject, verifiedCredentialsData: [outcome.credentialData] });
    return sent('presentation_verified');
  }
  throw new GraphHttpError(404, 'NotFound', `The simulator has no control endpoint POST /_simulator/verifiedid/requests/{id}/${action}.`);
}
