/**
 * Stable error codes for expected outcomes. Handlers turn them into messages people can act on; they never carry
 * Graph bodies or stack traces.
 */
export const ErrorCode = {
  InputMalformed: 'INPUT.MALFORMED',
  TargetNotFound: 'TARGET.NOT_FOUND',
  RequesterNotAllowed: 'REQUESTER.NOT_ALLOWED',
  RequesterIsTarget: 'REQUESTER.IS_TARGET',
  RequesterUnknown: 'REQUESTER.UNKNOWN',
  TenantForeign: 'TENANT.FOREIGN',
  CaseNotFound: 'CASE.NOT_FOUND',
  DirectoryDenied: 'DIRECTORY.DENIED',
  DirectoryThrottled: 'DIRECTORY.THROTTLED',
  DirectoryUnavailable: 'DIRECTORY.UNAVAILABLE',
  DirectoryLicenseMissing: 'DIRECTORY.LICENSE_MISSING',
  DirectoryAuthFailed: 'DIRECTORY.AUTH_FAILED',
  DirectoryNotFound: 'DIRECTORY.NOT_FOUND',
  DirectoryConflict: 'DIRECTORY.CONFLICT',
  DirectoryTimeout: 'DIRECTORY.TIMEOUT',
  DirectoryUnreachable: 'DIRECTORY.UNREACHABLE',
  DirectoryBadRequest: 'DIRECTORY.BAD_REQUEST',
  DirectoryTapPolicy: 'DIRECTORY.TAP_POLICY',
  DirectoryPasswordPolicy: 'DIRECTORY.PASSWORD_POLICY',
  InputTooLong: 'INPUT.TOO_LONG',
  CaseWrongState: 'CASE.WRONG_STATE',
  CaseBusy: 'CASE.BUSY',
  CaseAlreadyOpen: 'CASE.ALREADY_OPEN',
  CaseNotRequester: 'CASE.NOT_REQUESTER',
  AlreadyDecided: 'CASE.ALREADY_DECIDED',
  ApprovalBySelf: 'APPROVAL.BY_REQUESTER',
  ApprovalByTarget: 'APPROVAL.BY_TARGET',
  ApprovalExpired: 'APPROVAL.EXPIRED',
  ApproverNotAllowed: 'APPROVAL.NOT_APPROVER',
  ReasonRequired: 'INPUT.REASON_REQUIRED',
  StepOutOfOrder: 'STEP.OUT_OF_ORDER',
  StepUnexpected: 'STEP.UNEXPECTED',
  IdentityNotVerified: 'STEP.IDENTITY_NOT_VERIFIED',
  /** A helpdesk-attack risk needs the requester's override with a reason before approval is requested. */
  RiskOverrideRequired: 'RISK.OVERRIDE_REQUIRED',
  RiskNothingToOverride: 'RISK.NOTHING_TO_OVERRIDE',
  /** Card data whose signature does not verify for this tenant, conversation (thread), case and version. */
  CardInvalid: 'CARD.INVALID',
  /** A card older than the case: answered with the current card. */
  CardStale: 'CARD.STALE',
  /** A card refresh by someone the card is not for (not the requester nor an approver). */
  CardNotAudience: 'CARD.NOT_AUDIENCE',
  /** Verified ID is not configured, or not for this step. */
  VerificationUnavailable: 'VERIFICATION.UNAVAILABLE',
  /** A presentation request is still open: wait for it or for its expiry. */
  VerificationPending: 'VERIFICATION.PENDING',
  /** The case used every attempt it has. */
  VerificationAttemptsExhausted: 'VERIFICATION.ATTEMPTS_EXHAUSTED',
  /** The Request Service refused or could not be reached. */
  VerificationServiceFailed: 'VERIFICATION.SERVICE_FAILED',
  /** The malicious playbook does not take a manual method without one more approval. */
  VerificationRequired: 'VERIFICATION.REQUIRED',
  /** Closing a case needs its lessons learned, or "none: " and why there are none. */
  LessonsRequired: 'LESSONS.REQUIRED',
  /** A callback that does not belong to an open attempt (foreign, late, duplicate, wrong key). */
  VerificationCallbackRefused: 'VERIFICATION.CALLBACK_REFUSED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface Failure {
  readonly ok: false;
  readonly code: ErrorCode;
  /** A sentence for the person in the thread: what went wrong and what to do next. */
  readonly message: string;
}
export interface Success<T> {
  readonly ok: true;
  readonly value: T;
}
export type Result<T> = Success<T> | Failure;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Failure => ({ ok: false, code, message });

/** For exhaustive switches over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
