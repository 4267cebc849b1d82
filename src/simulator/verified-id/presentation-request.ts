import { z } from 'zod';
import { badField } from './service-errors';

/** A constraint on one claim: exactly one of `values` (any of), `contains`, `startsWith`; case-insensitive (spec §1.2). */
export type ClaimConstraint =
  | { readonly claimName: string; readonly values: readonly string[] }
  | { readonly claimName: string; readonly contains: string }
  | { readonly claimName: string; readonly startsWith: string };

/** What one requested credential asks of the wallet and of the service's own validation. */
export interface RequestedCredential {
  readonly type: string;
  /** Empty: any issuer (spec §1.2). */
  readonly acceptedIssuers: readonly string[];
  readonly constraints: readonly ClaimConstraint[];
  readonly allowRevoked: boolean;
  readonly validateLinkedDomain: boolean;
  readonly faceCheck?: { readonly sourcePhotoClaimName: string; readonly matchConfidenceThreshold: number };
}

/** A valid `createPresentationRequest` body, reduced to what the simulated service acts on. */
export interface ParsedPresentationRequest {
  readonly authority: string;
  readonly includeQRCode: boolean;
  readonly clientName: string;
  readonly callback: { readonly url: string; readonly state: string; readonly headers: Readonly<Record<string, string>> };
  readonly requestedCredentials: readonly RequestedCredential[];
}

/** Only these callback headers are supported; "Any other header throws an invalid callback header error" (spec §1.2). */
const CALLBACK_HEADERS = ['api-key', 'authorization'];

const object = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const optionalBool = (v: unknown, target: string): boolean => {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw badField(target, `${target} must be a boolean.`);
  return v;
};

function parseCallback(v: unknown): ParsedPresentationRequest['callback'] {
  if (!object(v)) throw badField('callback', 'The callback object is missing.');
  const url = v['url'];
  if (!nonEmpty(url)) throw badField('callback.url', 'callback.url is missing.');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badField('callback.url', 'callback.url is not a valid URL.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badField('callback.url', 'callback.url must be an http(s) URL.');
  if (!nonEmpty(v['state'])) throw badField('callback.state', 'callback.state is missing.');
  const headers = v['headers'] ?? {};
  if (!object(headers)) throw badField('callback.headers', 'callback.headers must be an object.');
  for (const [name, value] of Object.entries(headers)) {
    if (!CALLBACK_HEADERS.includes(name.toLowerCase()))
      throw badField('callback.headers', `Invalid callback header '${name}': only api-key and Authorization are supported.`);
    if (typeof value !== 'string') throw badField('callback.headers', `Callback header '${name}' must be a string.`);
  }
  return { url, state: v['state'], headers: headers as Record<string, string> };
}

function parseConstraint(v: unknown, target: string): ClaimConstraint {
  if (!object(v) || !nonEmpty(v['claimName'])) throw badField(`${target}.claimName`, 'A constraint needs a claimName.');
  const claimName = v['claimName'];
  const given = (['values', 'contains', 'startsWith'] as const).filter((k) => v[k] !== undefined);
  if (given.length !== 1) throw badField(target, 'A constraint needs exactly one of values, contains or startsWith.');
  if (given[0] === 'values') {
    const values = v['values'];
    if (!Array.isArray(values) || values.length === 0 || !values.every(nonEmpty))
      throw badField(`${target}.values`, 'values must be a non-empty list of strings.');
    return { claimName, values: values };
  }
  const key = given[0] as 'contains' | 'startsWith';
  if (!nonEmpty(v[key])) throw badField(`${target}.${key}`, `${key} must be a non-empty string.`);
  return key === 'contains' ? { claimName, contains: v[key] } : { claimName, startsWith: v[key] };
}

const threshold = z.number().int().min(50).max(100);

function parseRequestedCredential(v: unknown, i: number, includeReceipt: boolean): RequestedCredential {
  const at = `requestedCredentials[${i}]`;
  if (!object(v)) throw badField(at, `${at} must be an object.`);
  if (!nonEmpty(v['type'])) throw badField(`${at}.type`, 'The credential type is missing.');
  const issuers = v['acceptedIssuers'] ?? [];
  if (!Array.isArray(issuers) || !issuers.every((d) => typeof d === 'string' && d.startsWith('did:'))) {
    throw badField(`${at}.acceptedIssuers`, 'acceptedIssuers must be a list of DIDs.');
  }
  const constraints = v['constraints'] ?? [];
  if (!Array.isArray(constraints)) throw badField(`${at}.constraints`, 'constraints must be a list.');
  const configuration = v['configuration'] ?? {};
  if (!object(configuration)) throw badField(`${at}.configuration`, 'configuration must be an object.');
  const validation = configuration['validation'] ?? {};
  if (!object(validation)) throw badField(`${at}.configuration.validation`, 'validation must be an object.');
  const base = `${at}.configuration.validation`;
  const faceCheck = validation['faceCheck'];
  let face: RequestedCredential['faceCheck'];
  if (faceCheck !== undefined) {
    if (!object(faceCheck) || !nonEmpty(faceCheck['sourcePhotoClaimName'])) {
      throw badField(`${base}.faceCheck.sourcePhotoClaimName`, 'faceCheck needs sourcePhotoClaimName.');
    }
    const given = faceCheck['matchConfidenceThreshold'] ?? 70;
    if (!threshold.safeParse(given).success) {
      throw badField(`${base}.faceCheck.matchConfidenceThreshold`, 'matchConfidenceThreshold must be a whole number from 50 to 100.');
    }
    // "includeReceipt must be false as receipt isn't supported" with Face Check (spec §3).
    if (includeReceipt) throw badField('includeReceipt', 'includeReceipt must be false when faceCheck is requested.');
    face = { sourcePhotoClaimName: faceCheck['sourcePhotoClaimName'], matchConfidenceThreshold: given as number };
  }
  return {
    type: v['type'],
    acceptedIssuers: issuers as string[],
    constraints: constraints.map((c, j) => parseConstraint(c, `${at}.constraints[${j}]`)),
    allowRevoked: optionalBool(validation['allowRevoked'], `${base}.allowRevoked`),
    validateLinkedDomain: optionalBool(validation['validateLinkedDomain'], `${base}.validateLinkedDomain`),
    ...(face ? { faceCheck: face } : {}),
  };
}

/**
 * Checks a `createPresentationRequest` body field by field (spec §1.2, §7.5) and throws 400 badOrMissingField naming
 * the first wrong field; `authority` must be the tenant's own.
 */
export function parsePresentationRequest(body: unknown, tenantAuthority: string): ParsedPresentationRequest {
  if (!object(body)) throw badField('body', 'The request body must be a JSON object.');
  if (!nonEmpty(body['authority'])) throw badField('authority', 'authority is missing.');
  if (body['authority'] !== tenantAuthority) throw badField('authority', 'authority is not a DID of this tenant.');
  const includeQRCode = optionalBool(body['includeQRCode'], 'includeQRCode');
  const includeReceipt = optionalBool(body['includeReceipt'], 'includeReceipt');
  const registration = body['registration'];
  if (!object(registration) || !nonEmpty(registration['clientName'])) throw badField('registration.clientName', 'registration.clientName is missing.');
  const callback = parseCallback(body['callback']);
  const requested = body['requestedCredentials'];
  if (!Array.isArray(requested) || requested.length === 0) throw badField('requestedCredentials', 'requestedCredentials must be a non-empty list.');
  return {
    authority: body['authority'],
    includeQRCode,
    clientName: registration['clientName'],
    callback,
    requestedCredentials: requested.map((r, i) => parseRequestedCredential(r, i, includeReceipt)),
  };
}
