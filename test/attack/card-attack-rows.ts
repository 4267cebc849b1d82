import { CardSigner } from '../../src/teams/card-signature';
import { CASE_VERBS, Verb } from '../../src/views/verbs';
import { EXTRA, FOREIGN_TENANT } from '../helpers/adversary';
import { DEFAULT_THREAD } from '../helpers/bot-harness';
import type { ClickOptions, Person } from '../helpers/bot-over-http';
import { USERS } from '../helpers/demo-ids';
import { FALLBACK, type Target, type TargetKind } from './attack-world';

/**
 * The attacker's table: every card verb, in the case states where its button appears (attacked by the wrong person,
 * replayed, re-routed, forged) and where it does not (clicked by the right person with a valid card anyway). Each row
 * says what the clicker must be told and where the refusal must be recorded.
 */

/** The states a case is attacked in, each built over HTTP with its own target. */
export type StateName =
  | 'triaged'
  | 'planned'
  | 'awaiting'
  | 'awaitingPrivileged'
  | 'awaitingOwnAccount'
  | 'identity'
  | 'fallback'
  | 'fallbackPrivileged'
  | 'fallbackOwnAccount'
  | 'password'
  | 'tap'
  | 'check'
  | 'summary'
  | 'restore'
  | 'optionalIdentity'
  | 'failed'
  | 'denied'
  | 'cancelled';

/** Which target each state is built for: a privileged role holder, an approver's own account, or an ordinary user. */
export const TARGET_OF: Record<StateName, TargetKind> = {
  triaged: 'ordinary',
  planned: 'ordinary',
  awaiting: 'ordinary',
  awaitingPrivileged: 'privileged',
  awaitingOwnAccount: 'approver',
  identity: 'ordinary',
  fallback: 'ordinary',
  fallbackPrivileged: 'privileged',
  fallbackOwnAccount: 'approver',
  password: 'ordinary',
  tap: 'ordinary',
  check: 'ordinary',
  summary: 'ordinary',
  restore: 'ordinary',
  optionalIdentity: 'ordinary',
  failed: 'ordinary',
  denied: 'ordinary',
  cancelled: 'ordinary',
};

/**
 * The buttons the cards of a case in this state show (cards/*.json and their `$when`s), written out so that each row
 * has a name before the cases exist; card-attacks.test.ts checks it against the buttons the thread's cards show.
 * The demo runs without Verified ID (VERIFIED_ID_* unset): the identity step offers the fallback, not `verifiedId`.
 * Once Verified ID is configured, `Verb.verifiedId` joins the identity states (identity, the fallbacks, optionalIdentity).
 */
export const PRESENT: Record<StateName, readonly string[]> = {
  triaged: [Verb.confirmScenario, Verb.closeNoRecovery],
  planned: [Verb.requestApproval, Verb.cancel],
  awaiting: [Verb.approve, Verb.deny, Verb.refreshApproval],
  awaitingPrivileged: [Verb.approve, Verb.deny, Verb.refreshApproval],
  awaitingOwnAccount: [Verb.approve, Verb.deny],
  // The demo configures Verified ID, so the identity step offers it. Entra ID Account Recovery is offered where it is
  // the better path (spec §7.1): these malicious cases have no suspicious signal in their audit window (so the
  // compromise window is unknown), and the privileged ones are privileged.
  identity: [Verb.verifiedId, Verb.accountRecovery, Verb.requestFallback],
  fallback: [Verb.verifiedId, Verb.accountRecovery, Verb.approveFallback, Verb.refuseFallback],
  fallbackPrivileged: [Verb.verifiedId, Verb.accountRecovery, Verb.approveFallback, Verb.refuseFallback],
  fallbackOwnAccount: [Verb.verifiedId, Verb.accountRecovery, Verb.approveFallback, Verb.refuseFallback],
  password: [Verb.revealPassword],
  tap: [Verb.revealTap],
  check: [Verb.confirmGuided],
  summary: [Verb.recheck, Verb.close],
  restore: [Verb.confirmGuided],
  optionalIdentity: [Verb.verifiedId, Verb.recordIdentity, Verb.skipStep],
  failed: [Verb.retryStep],
  denied: [],
  cancelled: [],
};

/** The fallback's decision: one more approver accepts or refuses the requester's manual identity check. */
export const FALLBACK_VERBS: readonly string[] = [Verb.approveFallback, Verb.refuseFallback];
/** Approvers' decisions: on the plan, and on the fallback. */
export const APPROVAL_VERBS: readonly string[] = [Verb.approve, Verb.deny, ...FALLBACK_VERBS];
const PRIVILEGED_STATES: readonly StateName[] = ['awaitingPrivileged', 'awaitingOwnAccount', 'fallbackPrivileged', 'fallbackOwnAccount'];
export const MALLORY: Person = { id: '00000000-dead-4bad-8bad-00000000beef', name: 'Mallory (not in the tenant)' };
export const OTHER_THREAD = DEFAULT_THREAD.replace(/;messageid=\d+$/, ';messageid=1700000000777');
export const OTHER_CHANNEL = '19:other-team-general@thread.tacv2;messageid=1700000000999';
export const foreignSigner = new CardSigner('not-the-bots-key-but-long-enough-0123456789');

export const asFrom = (p: Person): ClickOptions['from'] => ({ id: `29:${p.id}`, name: p.name, aadObjectId: p.id });

/**
 * The person whose click on this verb is legitimate, and the inputs their card sends. The fallback is decided by an
 * approver who did not approve the plan: Patti after Alex, for a privileged target Miriam after Patti and Pradeep.
 */
export function legitimate(verb: string, target: TargetKind, stepId: string): { by: Person; extra: Record<string, unknown>; trigger?: 'automatic' } {
  const approver = target === 'ordinary' ? USERS.alex : USERS.patti;
  const fallbackDecider = target === 'ordinary' ? USERS.patti : USERS.miriam;
  switch (verb) {
    case Verb.confirmScenario:
      return { by: USERS.megan, extra: { scenario: 'malicious', reason: 'Attack suite: malicious on purpose' } };
    case Verb.cancel:
      return { by: USERS.megan, extra: { cancelReason: 'The user found the phone; no recovery needed' } };
    case Verb.approve:
      return { by: approver, extra: { comment: 'Verified by phone' } };
    case Verb.deny:
      return { by: approver, extra: { denyReason: 'The caller failed the call-back check' } };
    case Verb.refreshApproval:
      return { by: approver, extra: {}, trigger: 'automatic' };
    case Verb.recordIdentity:
    case Verb.requestFallback:
      return { by: USERS.megan, extra: { stepId, identityMethod: FALLBACK.method, identityNote: FALLBACK.note } };
    case Verb.approveFallback:
      return { by: fallbackDecider, extra: { stepId } };
    case Verb.refuseFallback:
      return { by: fallbackDecider, extra: { stepId, fallbackReason: 'The manager could not be reached on camera' } };
    case Verb.close:
      return { by: USERS.megan, extra: { lessons: 'Attack suite: closed on purpose' } };
    case Verb.closeNoRecovery:
      return { by: USERS.megan, extra: { noRecoveryReason: 'Attack suite: no recovery on purpose' } };
    default:
      return { by: USERS.megan, extra: { stepId } };
  }
}

/** Where a refusal must show up: a `Refused: <verb>` journal line with the code, or only a warning naming the activity. */
export type Recorded = 'journal' | { readonly log: RegExp };

export interface Attack {
  readonly name: string;
  /** Whether this attack applies to the verb on a case in this state. */
  readonly applies: (verb: string, state: StateName) => boolean;
  /** The click: who, where, with which signature and data. */
  readonly click: (
    legit: ReturnType<typeof legitimate>,
    verb: string,
    target: Target,
    version: number,
  ) => { options: ClickOptions; data?: Record<string, unknown> };
  /** The codes the answer may name (the stale card answer is the current card instead). */
  readonly codes: RegExp;
  readonly recorded: Recorded;
  /** The journal names this person (by display name) or 'unknown sender'. */
  readonly journalBy?: (legit: ReturnType<typeof legitimate>) => string;
}

const notRefresh = (verb: string): boolean => verb !== Verb.refreshApproval;
const WHO = /\((APPROVAL\.NOT_APPROVER|CASE\.NOT_REQUESTER|CARD\.NOT_AUDIENCE)\)$/;
const invalidCard = { log: /refused a card action with invalid data/ } as const;
const ignored = { log: /ignored an activity from another tenant or channel/ } as const;
const wrong = (p: Person): ReturnType<Attack['click']> => ({ options: { from: asFrom(p) } });

export const ATTACKS: readonly Attack[] = [
  { name: 'a person not in the tenant', applies: () => true, click: () => wrong(MALLORY), codes: WHO, recorded: 'journal', journalBy: () => MALLORY.name },
  {
    name: 'a helpdesk agent who is not the requester nor an approver (Grady)',
    applies: () => true,
    click: () => wrong(USERS.grady),
    codes: WHO,
    recorded: 'journal',
    journalBy: () => USERS.grady.name,
  },
  {
    name: 'the requester approving her own case',
    applies: (verb) => APPROVAL_VERBS.includes(verb),
    click: () => wrong(USERS.megan),
    codes: /\(APPROVAL\.BY_REQUESTER\)$/,
    recorded: 'journal',
    journalBy: () => USERS.megan.name,
  },
  {
    name: 'the target acting on their own recovery',
    applies: (verb, state) => state !== 'awaitingOwnAccount' || APPROVAL_VERBS.includes(verb),
    click: (_l, _v, target) => wrong(target),
    codes: /\((APPROVAL\.BY_TARGET|APPROVAL\.NOT_APPROVER|CASE\.NOT_REQUESTER|CARD\.NOT_AUDIENCE)\)$/,
    recorded: 'journal',
  },
  {
    name: 'a privileged approver deciding the fallback of their own recovery',
    applies: (verb, state) => FALLBACK_VERBS.includes(verb) && state === 'fallbackOwnAccount',
    click: (_l, _v, target) => wrong(target),
    codes: /\(APPROVAL\.BY_TARGET\)$/,
    recorded: 'journal',
  },
  {
    name: 'an ordinary approver on a privileged target (Alex)',
    applies: (verb, state) => APPROVAL_VERBS.includes(verb) && PRIVILEGED_STATES.includes(state),
    click: () => wrong(USERS.alex),
    codes: /\(APPROVAL\.NOT_APPROVER\)$/,
    recorded: 'journal',
    journalBy: () => USERS.alex.name,
  },
  {
    name: 'an approver of the plan deciding the fallback (Alex; for a privileged target Patti)',
    applies: (verb) => FALLBACK_VERBS.includes(verb),
    click: (_l, _v, target) => wrong(target.kind === 'ordinary' ? USERS.alex : USERS.patti),
    codes: /\(CASE\.ALREADY_DECIDED\)$/,
    recorded: 'journal',
  },
  {
    name: 'the other approver of a privileged plan deciding the fallback (Pradeep)',
    applies: (verb, state) => FALLBACK_VERBS.includes(verb) && PRIVILEGED_STATES.includes(state),
    click: () => wrong(EXTRA.pradeep),
    codes: /\(CASE\.ALREADY_DECIDED\)$/,
    recorded: 'journal',
    journalBy: () => EXTRA.pradeep.name,
  },
  {
    name: 'an ordinary approver who did not decide the plan, on a privileged target (Hana)',
    applies: (verb, state) => FALLBACK_VERBS.includes(verb) && PRIVILEGED_STATES.includes(state),
    click: () => wrong(EXTRA.hana),
    codes: /\(APPROVAL\.NOT_APPROVER\)$/,
    recorded: 'journal',
    journalBy: () => EXTRA.hana.name,
  },
  {
    name: 'an approver acting for the requester (Hana)',
    applies: (verb) => !APPROVAL_VERBS.includes(verb) && notRefresh(verb),
    click: () => wrong(EXTRA.hana),
    codes: /\(CASE\.NOT_REQUESTER\)$/,
    recorded: 'journal',
    journalBy: () => EXTRA.hana.name,
  },
  {
    name: 'an upper-cased object id of someone who may not (the requester on an approval, else Alex)',
    applies: notRefresh,
    click: (_l, verb) => {
      const p = APPROVAL_VERBS.includes(verb) ? USERS.megan : USERS.alex;
      return { options: { from: { id: `29:${p.id}`, name: p.name, aadObjectId: p.id.toUpperCase() } } };
    },
    codes: /\((APPROVAL\.BY_REQUESTER|APPROVAL\.NOT_APPROVER|CASE\.NOT_REQUESTER)\)$/,
    recorded: 'journal',
  },
  {
    name: 'the UPN of the legitimate person as aadObjectId',
    applies: () => true,
    click: (legit) => ({
      options: {
        from: { id: `29:${legit.by.id}`, name: legit.by.name, aadObjectId: (legit.by as { upn?: string }).upn ?? 'megan@contoso.com' },
        ...(legit.trigger ? { trigger: legit.trigger } : {}),
      },
    }),
    codes: /\(REQUESTER\.UNKNOWN\)$/,
    recorded: 'journal',
    journalBy: () => 'unknown sender',
  },
  {
    name: 'an old version of the card replayed (version 1, validly signed)',
    applies: notRefresh,
    click: (legit) => ({ options: { from: asFrom(legit.by) }, data: { version: 1 } }),
    codes: /\(CARD\.STALE\)$|^\{/,
    recorded: 'journal',
    journalBy: (legit) => legit.by.name,
  },
  {
    name: 'the card replayed in another thread of the same channel (its signature kept)',
    applies: () => true,
    click: (legit) => ({
      options: {
        from: asFrom(legit.by),
        conversationId: OTHER_THREAD,
        sig: { signedFor: { conversationId: DEFAULT_THREAD } },
        ...(legit.trigger ? { trigger: legit.trigger } : {}),
      },
    }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'a card signed for another thread of the same channel, clicked there',
    applies: () => true,
    click: (legit) => ({ options: { from: asFrom(legit.by), conversationId: OTHER_THREAD, ...(legit.trigger ? { trigger: legit.trigger } : {}) } }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: 'journal',
    journalBy: (legit) => legit.by.name,
  },
  {
    name: 'the card replayed in another conversation (another team)',
    applies: () => true,
    click: (legit) => ({
      options: {
        from: asFrom(legit.by),
        conversationId: OTHER_CHANNEL,
        sig: { signedFor: { conversationId: DEFAULT_THREAD } },
        ...(legit.trigger ? { trigger: legit.trigger } : {}),
      },
    }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'a foreign tenant',
    applies: () => true,
    click: (legit) => ({ options: { from: asFrom(legit.by), tenantId: FOREIGN_TENANT, ...(legit.trigger ? { trigger: legit.trigger } : {}) } }),
    codes: /\(TENANT\.FOREIGN\)$/,
    recorded: ignored,
  },
  {
    name: 'a forged signature (another key)',
    applies: () => true,
    click: (legit) => ({
      options: {
        from: asFrom(legit.by),
        sig: { literal: foreignSigner.sign({ tenantId: '', conversationId: DEFAULT_THREAD, caseId: '', version: 0 }) },
        ...(legit.trigger ? { trigger: legit.trigger } : {}),
      },
    }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'a missing signature',
    applies: () => true,
    click: (legit) => ({ options: { from: asFrom(legit.by), sig: 'missing', ...(legit.trigger ? { trigger: legit.trigger } : {}) } }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'the version raised by one, signature kept',
    applies: () => true,
    click: (legit, _v, _t, version) => ({
      options: { from: asFrom(legit.by), sig: { signedFor: { version } }, ...(legit.trigger ? { trigger: legit.trigger } : {}) },
      data: { version: version + 1 },
    }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'a channelId other than msteams (webchat)',
    applies: () => true,
    click: (legit) => ({ options: { from: asFrom(legit.by), channelId: 'webchat', ...(legit.trigger ? { trigger: legit.trigger } : {}) } }),
    codes: /\(CHANNEL\.UNSUPPORTED\)$/,
    recorded: ignored,
  },
  {
    name: 'an automatic trigger on a decision button',
    applies: notRefresh,
    click: (legit) => ({ options: { from: asFrom(legit.by), trigger: 'automatic' } }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: 'journal',
    journalBy: (legit) => legit.by.name,
  },
];

/**
 * Clicks the workflow accepts without a button on the current card, by design (src/domain/workflow.ts): the requester
 * may cancel in any state but a running step and a final one, and may change the scenario, or close without recovery, until
 * approval is requested.
 */
const ACCEPTED_WITHOUT_BUTTON: Partial<Record<StateName, readonly string[]>> = {
  triaged: [Verb.cancel],
  planned: [Verb.confirmScenario, Verb.closeNoRecovery],
  awaiting: [Verb.cancel],
  awaitingPrivileged: [Verb.cancel],
  awaitingOwnAccount: [Verb.cancel],
  summary: [Verb.cancel],
  restore: [Verb.cancel],
  failed: [Verb.cancel],
};

/** Verbs whose button is not on any card of a case in this state (and that the workflow refuses there). */
export const absentVerbs = (state: StateName): string[] =>
  CASE_VERBS.filter((v) => !PRESENT[state].includes(v) && !(ACCEPTED_WITHOUT_BUTTON[state] ?? []).includes(v));
