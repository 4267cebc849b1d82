import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isCaseId, type Actor, type RecoveryCase } from '../domain/case';
import { ErrorCode, fail, ok, type Result } from '../domain/errors';
import { fallbackDeciderRefusal, verificationRequestRefusal, type CallbackStatus } from '../domain/identity-verification';
import { decideVerification, toEvidence, type PresentedCredential } from '../domain/verified-id';
import type { CaseDeps } from '../ports/case-services';
import { VerifiedIdError } from '../ports/verified-id';
import type { VerificationLink } from '../ports/case-actions';
import { isFailure, withDirectory } from './directory-failure';
import { mutateCase, record } from './mutate-case';
import { approverGroupIds } from './approvals';
import { runSteps } from './execute-case';
import { formatTime } from '../domain/time-text';

/**
 * The identity step run by the bot (issue 17; shared/spec/verified-id.md §7.2): a Verified ID presentation request with
 * Face Check for the user being recovered, its callbacks, and the fallback a malicious recovery may take instead.
 */

interface StepRequest {
  readonly caseId: string;
  readonly by: Actor;
  readonly stepId: string;
}

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** Constant-time comparison of a received value with a stored SHA-256 hex digest. */
function matchesHash(value: string, hash: string): boolean {
  const a = Buffer.from(sha256(value), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The compromise start a credential must predate: only in a malicious recovery, and unknown when triage found no signal. */
function compromiseStart(c: RecoveryCase): string | undefined {
  return c.scenario?.value === 'malicious' ? c.triage?.suspiciousFrom : undefined;
}

function serviceFailure(e: VerifiedIdError): Result<never> {
  const after = e.retryAfterMs !== undefined ? ` Try again in ${Math.ceil(e.retryAfterMs / 1000)} s.` : '';
  const what: Record<VerifiedIdError['failure'], string> = {
    badRequest: 'refused the request as malformed; the Verified ID configuration (authority, issuers, callback URL) needs checking',
    unauthorized: 'did not accept the bot\u2019s token',
    forbidden: 'refused the bot: it lacks the VerifiableCredential.Create.PresentRequest permission, or Verified ID is not set up for the tenant',
    notFound: 'does not know the configured authority',
    throttled: 'is throttling requests',
    unavailable: 'could not be reached or is unavailable',
    notConfigured: 'is not configured',
  };
  return fail(
    ErrorCode.VerificationServiceFailed,
    `The Verified ID Request Service ${what[e.failure]}${e.innerCode ? ` (${e.innerCode})` : ''}. No request was made and nothing was recorded.${after}`,
  );
}

/**
 * The agent asks the bot to verify the caller. Checked before the Request Service is called (a refused click costs no
 * Face Check), then the request is made, then recorded with the hashes of its `state` and `api-key`. Two clicks at once
 * can both reach the service; only one is recorded, the other's request is never answered for (its callbacks name no
 * recorded attempt) and its link is not shown.
 */
export async function startVerification(deps: CaseDeps, request: StepRequest): Promise<Result<{ case: RecoveryCase; link: VerificationLink }>> {
  const verifiedId = deps.verifiedId;
  if (!verifiedId)
    return fail(
      ErrorCode.VerificationUnavailable,
      'Verified ID is not configured for this bot. In a malicious recovery ask for fallback approval; in an accidental one record how you verified the caller.',
    );
  const stored = await deps.cases.get(request.caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${request.caseId}.`);
  const c = stored.value;
  const refused = verificationRequestRefusal(c, request.by, deps.clock.now(), verifiedId.maxAttempts);
  if (refused) return refused;
  const step = c.plan?.find((s) => s.id === request.stepId);
  if (step?.kind !== 'verifyIdentity') return fail(ErrorCode.StepOutOfOrder, `That action is not available now for case ${c.id}.`);
  const state = `${c.id}.${randomBytes(18).toString('base64url')}`;
  const apiKey = randomBytes(32).toString('base64url');
  let created;
  try {
    created = await verifiedId.service.createPresentationRequest({ state, apiKey, userPrincipalNames: [c.target.userPrincipalName] });
  } catch (e) {
    if (!(e instanceof VerifiedIdError)) throw e;
    deps.logger.warn('the Verified ID request was refused', { caseId: c.id, failure: e.failure, innerCode: e.innerCode, serviceRequestId: e.serviceRequestId });
    return serviceFailure(e);
  }
  const compromise = compromiseStart(c);
  // Saved without editing the progress card: the agent's answer to this click (the link card) replaces that card in
  // her view, and an edit landing after it would take the link off her screen (seen in the Playground). The thread
  // hears of the request as a message of its own; the card shows it at its next change (the user opening the link).
  const saved = await mutateCase(
    deps.cases,
    c.id,
    () => deps.clock.now(),
    () => ({
      type: 'requestVerification',
      by: request.by,
      requestId: created.requestId,
      stateHash: sha256(state),
      apiKeyHash: sha256(apiKey),
      expiresAt: created.expiresAt,
      threshold: verifiedId.policy.faceMatchThreshold,
      ...(compromise ? { compromiseStartedAt: compromise } : {}),
      maxAttempts: verifiedId.maxAttempts,
    }),
  );
  if (!saved.ok) return saved;
  const recorded = ok(saved.value.case);
  const attempt = recorded.value.verification?.attempts.find((a) => a.requestId === created.requestId)?.attempt ?? 0;
  await deps.observer.notify(
    recorded.value,
    `Case ${c.id}: ${request.by.name} sent Verified ID request ${attempt} of ${verifiedId.maxAttempts} to ${c.target.userPrincipalName}'s Microsoft Authenticator (the link went to ${request.by.name} only). It expires at ${formatTime(created.expiresAt, deps.settings.triage.timeZone)}.`,
  );
  return ok({
    case: recorded.value,
    link: {
      caseId: c.id,
      requestId: created.requestId,
      userPrincipalName: c.target.userPrincipalName,
      url: created.url,
      expiresAt: created.expiresAt,
      attempt,
    },
  });
}

/** The expiry timer: closes the attempt when nobody presented in time. */
export async function expireVerification(deps: CaseDeps, caseId: string, requestId: string): Promise<void> {
  const expired = await record(deps, caseId, { type: 'expireVerification', requestId });
  if (!expired.ok) deps.logger.warn('could not record a Verified ID expiry', { caseId, code: expired.code });
}

/** What the callback endpoint answers: the samples' statuses (spec §2.3), and a short body without detail. */
export interface CallbackAnswer {
  readonly status: 200 | 400 | 401;
  readonly message: string;
}

const STATUSES: ReadonlySet<string> = new Set<CallbackStatus>(['request_retrieved', 'presentation_verified', 'presentation_error']);

interface CallbackBody {
  readonly requestId: string;
  readonly requestStatus: CallbackStatus;
  readonly state: string;
  readonly credential?: PresentedCredential;
  readonly errorCode?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Reads the fields a callback may carry into the bot's own shape. Everything else, the photo claim and the subject DID
 * and the receipt among it, is dropped here, before anything is stored or logged: only the claim names survive (for the
 * record) and `revocationId` (compared with the target's UPN).
 */
export function readCallback(body: unknown): CallbackBody | undefined {
  if (!isRecord(body)) return undefined;
  const requestId = str(body.requestId);
  const requestStatus = str(body.requestStatus);
  const state = str(body.state);
  if (!requestId || !state || !requestStatus || !STATUSES.has(requestStatus)) return undefined;
  const base = { requestId, requestStatus: requestStatus as CallbackStatus, state };
  if (requestStatus === 'presentation_error') {
    const code = isRecord(body.error) ? str(body.error.code) : undefined;
    return { ...base, ...(code ? { errorCode: code.slice(0, 100) } : {}) };
  }
  if (requestStatus !== 'presentation_verified') return base;
  const list: unknown = body.verifiedCredentialsData;
  const first: unknown = Array.isArray(list) ? (list as unknown[])[0] : undefined;
  if (!isRecord(first)) return base;
  const claims = isRecord(first.claims) ? first.claims : {};
  const revocationId = str(claims.revocationId);
  const credentialState = isRecord(first.credentialState) ? str(first.credentialState.revocationStatus) : undefined;
  const domainUrl = isRecord(first.domainValidation) ? str(first.domainValidation.url) : undefined;
  const face = isRecord(first.faceCheck) ? first.faceCheck : undefined;
  const score = face && typeof face.matchConfidenceScore === 'number' ? face.matchConfidenceScore : undefined;
  const quality = face ? str(face.sourcePhotoQuality) : undefined;
  const issuanceDate = str(first.issuanceDate);
  const expirationDate = str(first.expirationDate);
  const credential: PresentedCredential = {
    type: Array.isArray(first.type) ? first.type.filter((t): t is string => typeof t === 'string').slice(0, 10) : [],
    issuer: str(first.issuer) ?? '',
    // Names only (values blanked), except the UPN the rules compare: the photo never leaves this function.
    claims: Object.fromEntries(
      Object.keys(claims)
        .slice(0, 50)
        .map((k) => [k.slice(0, 100), k === 'revocationId' ? revocationId : true]),
    ),
    ...(credentialState ? { credentialState: { revocationStatus: credentialState } } : {}),
    ...(domainUrl ? { domainValidation: { url: domainUrl } } : {}),
    ...(issuanceDate ? { issuanceDate } : {}),
    ...(expirationDate ? { expirationDate } : {}),
    ...(score !== undefined || quality
      ? { faceCheck: { ...(score !== undefined ? { matchConfidenceScore: score } : {}), ...(quality ? { sourcePhotoQuality: quality } : {}) } }
      : {}),
  };
  return { ...base, credential };
}

/**
 * One callback from the Request Service (POST /api/verifiedid/callback). Untrusted input: the `state` names the case
 * and must match an attempt's hash, the request id must be that attempt's, and the `api-key` header must match the hash
 * of the key the bot set for that very request, compared in constant time. Anything else is refused and logged without
 * its values; a callback for a closed or expired attempt is journaled by the workflow and changes nothing else.
 */
export async function receiveVerificationCallback(deps: CaseDeps, apiKey: string | undefined, body: unknown): Promise<CallbackAnswer> {
  const callback = readCallback(body);
  if (!callback) {
    deps.logger.warn('refused a Verified ID callback that cannot be read');
    return { status: 400, message: 'Not a Verified ID callback.' };
  }
  const caseId = callback.state.split('.')[0] ?? '';
  const stored = isCaseId(caseId) ? await deps.cases.get(caseId) : undefined;
  const attempt = stored?.value.verification?.attempts.find((a) => a.requestId === callback.requestId);
  if (!stored || !attempt || !matchesHash(callback.state, attempt.stateHash)) {
    deps.logger.warn('refused a Verified ID callback for no known request', { requestStatus: callback.requestStatus });
    return { status: 400, message: 'Unknown state.' };
  }
  if (!apiKey || !matchesHash(apiKey, attempt.apiKeyHash)) {
    deps.logger.warn('refused a Verified ID callback with a wrong or missing api-key', { caseId, requestId: attempt.requestId });
    await recordRefusal(deps, caseId, 'Verified ID callback with a wrong or missing key');
    return { status: 401, message: 'api-key wrong or missing.' };
  }
  const c = stored.value;
  const policy = deps.verifiedId?.policy;
  if (!policy) {
    deps.logger.warn('refused a Verified ID callback: Verified ID is no longer configured', { caseId, requestId: attempt.requestId });
    return { status: 400, message: 'Verified ID is not configured.' };
  }
  const now = deps.clock.now();
  const credential = callback.credential;
  const decision = credential
    ? decideVerification(
        credential,
        policy,
        {
          userPrincipalNames: [c.target.userPrincipalName],
          ...(attempt.compromiseStartedAt ? { compromiseStartedAt: attempt.compromiseStartedAt } : {}),
          accidental: c.scenario?.value === 'accidental',
        },
        now,
      )
    : undefined;
  const recorded = await record(deps, caseId, {
    type: 'recordVerificationCallback',
    requestId: attempt.requestId,
    status: callback.requestStatus,
    ...(decision ? { decision } : {}),
    ...(credential ? { evidence: toEvidence(credential) } : {}),
    ...(callback.errorCode ? { errorCode: callback.errorCode } : {}),
  });
  if (!recorded.ok) {
    // A duplicate, or one after the attempt ended: acknowledged (there is nothing for the service to repeat), logged.
    deps.logger.info('ignored a Verified ID callback', { caseId, requestId: attempt.requestId, requestStatus: callback.requestStatus, code: recorded.code });
    return { status: 200, message: 'Ignored.' };
  }
  deps.logger.info('Verified ID callback recorded', { caseId, requestId: attempt.requestId, requestStatus: callback.requestStatus, passed: decision?.passed });
  if (recorded.value.identityVerification?.kind === 'verifiedId') await runSteps(deps, caseId, { graph: false });
  return { status: 200, message: 'Recorded.' };
}

async function recordRefusal(deps: CaseDeps, caseId: string, action: string): Promise<void> {
  const refused = await record(deps, caseId, { type: 'recordRefusal', by: undefined, action, code: ErrorCode.VerificationCallbackRefused });
  if (!refused.ok) deps.logger.warn('could not record a refused Verified ID callback', { caseId, code: refused.code });
}

/** The malicious playbook's fallback: the agent records a manual method and its evidence, for one more approver. */
export async function requestFallback(deps: CaseDeps, request: StepRequest & { method: string; note: string }): Promise<Result<RecoveryCase>> {
  if (!deps.settings.identityVerificationMethods.includes(request.method))
    return fail(ErrorCode.InputMalformed, `Choose one of: ${deps.settings.identityVerificationMethods.join(', ')}.`);
  const recorded = await record(deps, request.caseId, { type: 'requestFallback', by: request.by, method: request.method, note: request.note });
  if (recorded.ok)
    await deps.observer.notify(
      recorded.value,
      `Case ${recorded.value.id}: ${request.by.name} asks an approver to accept a manual identity check instead of Verified ID (${request.method}). An approver who has not decided on this case accepts or refuses it on its own message in this thread ("Case ${recorded.value.id}: fallback approval").`,
    );
  return recorded;
}

/** An approver accepts or refuses the fallback; membership of the target's approver groups is checked here, in Graph. */
export async function decideFallback(
  deps: CaseDeps,
  request: { caseId: string; by: Actor; decision: 'approve' | 'deny'; reason?: string },
): Promise<Result<RecoveryCase>> {
  const stored = await deps.cases.get(request.caseId);
  if (!stored) return fail(ErrorCode.CaseNotFound, `There is no case ${request.caseId}.`);
  // Who may never decide is said first, as for the plan's approval; then whether this person is an approver at all.
  const refused = fallbackDeciderRefusal(stored.value, request.by);
  if (refused) return refused;
  const groups = approverGroupIds(stored.value, deps.settings);
  const member = await withDirectory(deps.logger, 'check approver', () => deps.directory.memberOf(request.by.aadObjectId, groups));
  if (isFailure(member)) return member;
  if (member.length === 0)
    return fail(ErrorCode.ApproverNotAllowed, `Only the approvers of case ${request.caseId} can accept or refuse its fallback. Nothing was changed.`);
  const decided = await record(deps, request.caseId, {
    type: 'decideFallback',
    by: request.by,
    decision: request.decision,
    ...(request.reason ? { reason: request.reason } : {}),
  });
  if (!decided.ok) return decided;
  return request.decision === 'approve' ? runSteps(deps, request.caseId, { graph: false }) : decided;
}
