import type { RecoveryCase } from '../domain/case';
import { assertNever } from '../domain/errors';
import type { GraphRequest, PlanStep } from '../domain/plan';
import type { Scenario } from '../domain/triage';

/** Words shared by the case cards and the export, so a card and the record never describe a case differently. */

export function scenarioLabel(scenario: Scenario): 'Accidental' | 'Malicious' {
  return scenario === 'accidental' ? 'Accidental' : 'Malicious';
}

/** The guidance's "Recommended posture" column. */
export function scenarioPosture(scenario: Scenario): string {
  return scenario === 'accidental' ? 'Validate and selectively restore.' : 'Treat as a compromise: remove every method and rebuild from a trusted state.';
}

export function targetLine(c: RecoveryCase): string {
  return `${c.target.displayName} (${c.target.userPrincipalName})`;
}

/** "DELETE /v1.0/users/…/authentication/fido2Methods/…": the exact call, with the beta endpoint named. */
export function graphRequestText(request: GraphRequest): string {
  return `${request.method} /${request.version}${request.path}`;
}

/** The calls a step makes, as approvers read them: its own request, and for removeAllMethods the DELETEs known now. */
export function stepRequests(step: PlanStep): { main?: GraphRequest; preview: readonly GraphRequest[] } {
  switch (step.kind) {
    case 'verifyIdentity':
      return { preview: [] };
    case 'removeAllMethods':
      return { main: step.request, preview: step.preview };
    case 'restoreUser':
    case 'recreateUser':
    case 'pointInTimeRestore':
    case 'revokeSessions':
    case 'resetPassword':
    case 'issueTap':
    case 'checkMethods':
      return { main: step.request, preview: [] };
    default:
      return assertNever(step);
  }
}

export interface StepFlags {
  readonly destructive: boolean;
  /** The step produces a secret that only the requesting agent sees. */
  readonly secret: boolean;
  /** A person does the step in the admin center; the bot only checks the result. */
  readonly guided: boolean;
}

export function stepFlags(step: PlanStep): StepFlags {
  return { destructive: step.destructive, secret: 'secret' in step && step.secret, guided: 'guided' in step && step.guided };
}

/** "Destructive · Secret: shown only to the requesting agent · Guided: done by a person in the admin center". */
export function stepFlagsText(step: PlanStep): string {
  const flags = stepFlags(step);
  return [
    flags.destructive ? 'Destructive' : '',
    flags.secret ? 'Secret: shown only to the requesting agent' : '',
    flags.guided ? 'Guided: done by a person in the admin center' : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** "2 h 5 min", "3 d 4 h", "12 min": how long a case was open. */
export function formatDuration(fromIso: string, toIso: string | undefined): string {
  if (!toIso) return 'still open';
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (Number.isNaN(ms) || ms < 0) return 'unknown';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
