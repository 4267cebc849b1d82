/**
 * Action.Execute verbs: the one list shared by cards/*.json and the Teams routes. Card data carries only the case id,
 * its version and, for step actions, the step id; who clicked and what is allowed come from the activity and the
 * stored case.
 */
export const Verb = {
  confirmScenario: 'case.confirmScenario',
  closeNoRecovery: 'case.closeNoRecovery',
  requestApproval: 'case.requestApproval',
  approve: 'case.approve',
  deny: 'case.deny',
  refreshApproval: 'case.refreshApproval',
  start: 'case.start',
  confirmGuided: 'case.step.confirmGuided',
  recordIdentity: 'case.step.recordIdentity',
  verifiedId: 'case.step.verifiedId',
  requestFallback: 'case.step.requestFallback',
  approveFallback: 'case.step.approveFallback',
  refuseFallback: 'case.step.refuseFallback',
  accountRecovery: 'case.step.accountRecovery',
  checkAccountRecovery: 'case.step.checkAccountRecovery',
  revealPassword: 'case.step.revealPassword',
  revealTap: 'case.step.revealTap',
  skipStep: 'case.step.skip',
  retryStep: 'case.step.retry',
  recheck: 'case.validate',
  close: 'case.close',
  cancel: 'case.cancel',
} as const;
export type Verb = (typeof Verb)[keyof typeof Verb];

/**
 * The buttons of a bulk incident's card. Their data carries the incident id (`incidentId`, never `caseId`), its
 * version and signature; each runs the same use case as the typed `incident approve|deny|start|retry` command.
 */
export const IncidentVerb = {
  approve: 'incident.approve',
  deny: 'incident.deny',
  start: 'incident.start',
  retryFailed: 'incident.retryFailed',
} as const;
export type IncidentVerb = (typeof IncidentVerb)[keyof typeof IncidentVerb];

export const CASE_VERBS: readonly string[] = Object.values(Verb);
export const INCIDENT_VERBS: readonly string[] = Object.values(IncidentVerb);
/** Every verb a card may carry. */
export const ALL_VERBS: readonly string[] = [...CASE_VERBS, ...INCIDENT_VERBS];
