/**
 * Action.Execute verbs: the one list shared by cards/*.json and the Teams routes. Card data carries only the case id,
 * its version and, for step actions, the step id; who clicked and what is allowed come from the activity and the
 * stored case.
 */
export const Verb = {
  confirmScenario: 'case.confirmScenario',
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
export const ALL_VERBS: readonly string[] = Object.values(Verb);
