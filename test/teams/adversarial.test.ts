import type { RecoveryCase } from '../../src/domain/case';
import { CardSigner } from '../../src/teams/card-signature';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { EXTRA, FOREIGN_TENANT, THREAD, CaseDriver, adversarialSeed, invokeText, rawInvoke, tenantSnapshot, type Person } from '../helpers/adversary';
import { TENANT_ID, USERS } from '../helpers/demo-ids';
import { accepted, refusalOf } from '../helpers/invoke-answers';

/**
 * Issue 4: approvals that cannot be bypassed. Every row is one attack on a case in a given state, through the real
 * Application against the simulated tenant, and asserts the three things the issue asks for:
 *  1. refused with a clear message (the invoke response or reply names the code or says what is wrong),
 *  2. the simulated tenant is unchanged (users, methods, deleted users, audit records),
 *  3. the attempt is recorded: a `Refused: <verb>` journal line with the code on the case, or, when the data does
 *     not name a case of this conversation and tenant the bot could trust, a warning in the log and no case changed.
 * Rows marked `bug` describe what the bot should do and currently does not (run as `it.failing`).
 */

const ANOTHER_CHANNEL = '19:other-team-general@thread.tacv2;messageid=1700000000999';
const ALEX_PERSONAL_CHAT = 'a:1alex-personal-chat-with-the-bot';
const UNKNOWN: Person = { id: '00000000-dead-4bad-8bad-00000000beef', name: 'Mallory (not in the tenant)' };
const foreignSigner = new CardSigner('not-the-bots-key-but-long-enough-0123456789');

interface Fixture {
  readonly bot: BotHarness;
  readonly drive: CaseDriver;
  /** The case under attack. */
  readonly caseId: string;
  /** Other cases that must not change either. */
  readonly others: readonly string[];
  /** A version the case had earlier, for old cards. */
  readonly old: number;
}

type Stage = (drive: CaseDriver) => Promise<{ caseId: string; others?: string[]; old?: number }>;

const versionOf = async (drive: CaseDriver, caseId: string): Promise<number> => (await drive.get(caseId)).version;

/** The states a case is attacked in. Each builds from a fresh tenant through the real Application. */
const stage = {
  triaged: (async (drive) => ({ caseId: await drive.open(USERS.lee.upn) })) satisfies Stage,
  planned: (async (drive) => {
    const caseId = await drive.open(USERS.lee.upn);
    const old = await versionOf(drive, caseId);
    await drive.must(Verb.confirmScenario, caseId, USERS.megan, { scenario: 'malicious' });
    return { caseId, old };
  }) satisfies Stage,
  awaiting: (async (drive) => {
    const caseId = await drive.awaiting(USERS.lee.upn);
    return { caseId, old: (await versionOf(drive, caseId)) - 1 };
  }) satisfies Stage,
  /** Two cases in the same thread: Lee's (attacked) and Adele's. */
  twoCases: (async (drive) => {
    const caseId = await drive.awaiting(USERS.lee.upn);
    const adele = await drive.awaiting(USERS.adele.upn, 'accidental');
    return { caseId, others: [adele] };
  }) satisfies Stage,
  /** Nestor holds Privileged Authentication Administrator: two approvals from the privileged approvers. */
  privileged: (async (drive) => ({ caseId: await drive.awaiting(USERS.nestor.upn) })) satisfies Stage,
  privilegedOneApproved: (async (drive) => {
    const caseId = await drive.awaiting(USERS.nestor.upn);
    const old = await versionOf(drive, caseId);
    await drive.must(Verb.approve, caseId, USERS.patti, { comment: 'Verified by phone' });
    return { caseId, old };
  }) satisfies Stage,
  privilegedQuorum: (async (drive) => {
    const caseId = await drive.awaiting(USERS.nestor.upn);
    const old = await versionOf(drive, caseId);
    await drive.must(Verb.approve, caseId, USERS.patti);
    await drive.must(Verb.approve, caseId, EXTRA.pradeep);
    return { caseId, old };
  }) satisfies Stage,
  /** Alex, a security approver, is the user being recovered. */
  approverIsTarget: (async (drive) => ({ caseId: await drive.awaiting(USERS.alex.upn) })) satisfies Stage,
  /** Hana is both a helpdesk agent and an approver, and opened this case herself. */
  requesterIsApprover: (async (drive) => ({ caseId: await drive.awaiting(USERS.lee.upn, 'malicious', EXTRA.hana) })) satisfies Stage,
  expired: (async (drive) => {
    const caseId = await drive.awaiting(USERS.lee.upn);
    const stored = await drive.bot.cases.get(caseId);
    if (!stored?.value.approval) throw new Error('no approval to expire');
    const expiresAt = new Date(drive.bot.now().getTime() - 60_000).toISOString();
    const replaced = await drive.bot.cases.replace({ ...stored.value, approval: { ...stored.value.approval, expiresAt } }, stored.eTag);
    if (replaced === 'conflict') throw new Error('could not expire the request');
    return { caseId };
  }) satisfies Stage,
  denied: (async (drive) => {
    const caseId = await drive.awaiting(USERS.lee.upn);
    const old = await versionOf(drive, caseId);
    await drive.must(Verb.deny, caseId, USERS.alex, { denyReason: 'The caller failed the call-back check' });
    return { caseId, old };
  }) satisfies Stage,
  cancelled: (async (drive) => {
    const caseId = await drive.open(USERS.lee.upn);
    await drive.must(Verb.confirmScenario, caseId, USERS.megan, { scenario: 'malicious' });
    const old = await versionOf(drive, caseId);
    const cancelled = await drive.must(Verb.cancel, caseId, USERS.megan, { cancelReason: 'Lee found his phone; no recovery needed' });
    if (cancelled.state !== 'cancelled') throw new Error(`not cancelled: ${cancelled.state}`);
    return { caseId, old };
  }) satisfies Stage,
  /** Approved and running: the bot removed Lee's methods and waits for the identity verification. */
  identity: (async (drive) => {
    const caseId = await drive.awaiting(USERS.lee.upn);
    const old = await versionOf(drive, caseId);
    await drive.must(Verb.approve, caseId, USERS.alex);
    await drive.waitingStep(caseId, 'verifyIdentity');
    return { caseId, old };
  }) satisfies Stage,
  /** Identity verified: the new password waits to be revealed. */
  password: (async (drive) => {
    const caseId = await drive.awaiting(USERS.lee.upn);
    await drive.must(Verb.approve, caseId, USERS.alex);
    const old = await versionOf(drive, caseId);
    // Without Verified ID, the fallback: Megan asks, Patti (who did not approve the plan) accepts.
    await drive.must(Verb.requestFallback, caseId, USERS.megan, {
      stepId: await drive.waitingStep(caseId, 'verifyIdentity'),
      identityMethod: 'Video call with manager',
      identityNote: 'Manager confirmed on camera',
    });
    await drive.must(Verb.approveFallback, caseId, USERS.patti, { stepId: await drive.waitingStep(caseId, 'verifyIdentity') });
    await drive.waitingStep(caseId, 'resetPassword');
    return { caseId, old };
  }) satisfies Stage,
  /** Password revealed once: the TAP waits. */
  tap: (async (drive) => {
    const caseId = await drive.awaiting(USERS.lee.upn);
    await drive.must(Verb.approve, caseId, USERS.alex);
    // Without Verified ID, the fallback: Megan asks, Patti (who did not approve the plan) accepts.
    await drive.must(Verb.requestFallback, caseId, USERS.megan, {
      stepId: await drive.waitingStep(caseId, 'verifyIdentity'),
      identityMethod: 'In person with photo ID',
      identityNote: 'Badge 4711 at the desk',
    });
    await drive.must(Verb.approveFallback, caseId, USERS.patti, { stepId: await drive.waitingStep(caseId, 'verifyIdentity') });
    const reveal = await drive.bot.click(Verb.revealPassword, await drive.data(caseId, { stepId: await drive.waitingStep(caseId, 'resetPassword') }), {
      from: USERS.megan,
    });
    if (!accepted(reveal)) throw new Error(`password not revealed: ${invokeText(reveal)}`);
    await drive.waitingStep(caseId, 'issueTap');
    return { caseId };
  }) satisfies Stage,
  /** TAP revealed too: the bot waits for the user to register a new method ("I did it, re-check"). */
  check: (async (drive) => {
    const caseId = await drive.awaiting(USERS.lee.upn);
    await drive.must(Verb.approve, caseId, USERS.alex);
    // Without Verified ID, the fallback: Megan asks, Patti (who did not approve the plan) accepts.
    await drive.must(Verb.requestFallback, caseId, USERS.megan, {
      stepId: await drive.waitingStep(caseId, 'verifyIdentity'),
      identityMethod: 'Video call with manager',
      identityNote: 'Verified ID presentation checked',
    });
    await drive.must(Verb.approveFallback, caseId, USERS.patti, { stepId: await drive.waitingStep(caseId, 'verifyIdentity') });
    for (const [verb, kind] of [
      [Verb.revealPassword, 'resetPassword'],
      [Verb.revealTap, 'issueTap'],
    ] as const) {
      const reveal = await drive.bot.click(verb, await drive.data(caseId, { stepId: await drive.waitingStep(caseId, kind) }), { from: USERS.megan });
      if (!accepted(reveal)) throw new Error(`${kind} not revealed: ${invokeText(reveal)}`);
    }
    await drive.waitingStep(caseId, 'checkMethods');
    return { caseId };
  }) satisfies Stage,
  /** Adele, accidental, approved: a Backup Administrator must restore her first ("I did it, re-check"). */
  restore: (async (drive) => {
    const caseId = await drive.awaiting(USERS.adele.upn, 'accidental');
    await drive.must(Verb.approve, caseId, USERS.alex);
    await drive.waitingStep(caseId, 'pointInTimeRestore');
    return { caseId };
  }) satisfies Stage,
};

/** What the journal or the log must show. */
type Recorded = { readonly journal: string; readonly code: string; readonly by: string } | { readonly log: RegExp };

interface Row {
  readonly name: string;
  readonly stage: Stage;
  /** The attack; returns what the attacker reads. */
  readonly act: (f: Fixture) => Promise<string>;
  readonly refused: RegExp;
  readonly recorded: Recorded;
  /** When part of the attempt is a legitimate click that does change the case (a double click). */
  readonly legit?: (before: RecoveryCase, after: RecoveryCase) => void;
  /** The bot does not do this yet: what is wrong, for the report. */
  readonly bug?: string;
}

const journal = (verb: string, code: string, by: Person): Recorded => ({ journal: `Refused: ${verb}`, code, by: by.name });
const invalidCard: Recorded = { log: /refused a card action with invalid data/ };

/** Clicks with card data as the bot would have drawn it now, plus the attacker's changes. */
const click = async (
  f: Fixture,
  verb: string,
  by: Person,
  extra: Record<string, unknown> = {},
  options: { conversationId?: string; tenantId?: string; trigger?: 'manual' | 'automatic' } = {},
): Promise<string> => invokeText(await f.bot.click(verb, await f.drive.data(f.caseId, extra), { from: by, ...options }));
/** Clicks with exactly this data: nothing re-signed. */
const clickRaw = async (
  f: Fixture,
  verb: string,
  by: Person,
  data: Record<string, unknown>,
  options: { conversationId?: string; unsigned?: boolean } = {},
): Promise<string> => invokeText(await f.bot.click(verb, data, { from: by, ...options }));
/** The signature the bot put on the case's current cards in this thread. */
const sigOf = async (f: Fixture, caseId = f.caseId, conversationId = THREAD, tenantId = TENANT_ID): Promise<string> =>
  f.bot.signer.sign({ tenantId, conversationId, caseId, version: await versionOf(f.drive, caseId) });
const stepOf = async (f: Fixture, kind: string): Promise<string> => f.drive.stepOf(await f.drive.get(f.caseId), kind);

const APPROVE = Verb.approve;
const DENY = Verb.deny;

const rows: Row[] = [
  // ---- Tampered card data: the signature binds tenant, conversation, case id and version. -------------------------
  {
    name: 'tampered: the case id replaced by a made-up one',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: 'RC-99999999', version: await versionOf(f.drive, f.caseId), sig: await sigOf(f) }),
    refused: /there is no case RC-99999999\. Nothing was changed\. \(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the case id replaced by another real case of the same thread, signature kept',
    stage: stage.twoCases,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: f.others[0], version: await versionOf(f.drive, f.caseId), sig: await sigOf(f) }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the version raised by one, signature kept',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: (await versionOf(f.drive, f.caseId)) + 1, sig: await sigOf(f) }),
    refused: /signature is not valid: the card was changed, or it was drawn by an earlier version of the bot.*\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the version set far in the future (to dodge the stale check), signature kept',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: 999_999, sig: await sigOf(f) }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the version lowered, signature kept',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: f.old, sig: await sigOf(f) }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the signature removed',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: await versionOf(f.drive, f.caseId) }, { unsigned: true }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the signature changed by one character',
    stage: stage.awaiting,
    act: async (f) => {
      const sig = await sigOf(f);
      return clickRaw(f, APPROVE, USERS.alex, {
        caseId: f.caseId,
        version: await versionOf(f.drive, f.caseId),
        sig: `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`,
      });
    },
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the signature of another case of the same thread',
    stage: stage.twoCases,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: await versionOf(f.drive, f.caseId), sig: await sigOf(f, f.others[0]) }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: a signature made with another key (forged card)',
    stage: stage.awaiting,
    act: async (f) => {
      const version = await versionOf(f.drive, f.caseId);
      return clickRaw(f, APPROVE, USERS.alex, {
        caseId: f.caseId,
        version,
        sig: foreignSigner.sign({ tenantId: TENANT_ID, conversationId: THREAD, caseId: f.caseId, version }),
      });
    },
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the signature a number instead of a string',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: await versionOf(f.drive, f.caseId), sig: 12345 }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the version not a number',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: 'latest', sig: await sigOf(f) }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the version an object',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: { $gt: 0 }, sig: await sigOf(f) }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: a 100 000-character case id',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: `${f.caseId}${'X'.repeat(100_000)}`, version: await versionOf(f.drive, f.caseId) }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: a 100 000-character signature that starts with the right one',
    stage: stage.awaiting,
    act: async (f) =>
      clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: await versionOf(f.drive, f.caseId), sig: `${await sigOf(f)}${'='.repeat(100_000)}` }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'tampered: the case id not a string',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: 42, version: await versionOf(f.drive, f.caseId), sig: await sigOf(f) }),
    refused: /INPUT\.MALFORMED/,
    recorded: { log: /card action|malformed|not understood/i },
  },
  {
    name: 'tampered: no card data at all',
    stage: stage.awaiting,
    act: async (f) =>
      invokeText(
        (await rawInvoke(f.bot, APPROVE, 'approve-everything', { from: { id: `29:${USERS.alex.id}`, name: USERS.alex.name, aadObjectId: USERS.alex.id } }))
          .body,
      ),
    refused: /INPUT\.MALFORMED/,
    recorded: { log: /card action|malformed|not understood/i },
  },
  {
    name: 'extra fields: the requester approves her own case with data claiming to be Alex',
    stage: stage.awaiting,
    act: async (f) =>
      click(f, APPROVE, USERS.megan, {
        from: USERS.alex.id,
        aadObjectId: USERS.alex.id,
        by: { aadObjectId: USERS.alex.id, name: USERS.alex.name },
        requester: USERS.alex.id,
      }),
    refused: /cannot approve.*APPROVAL\.BY_REQUESTER/,
    recorded: journal(APPROVE, 'APPROVAL.BY_REQUESTER', USERS.megan),
  },
  {
    name: 'extra fields: a non-approver sends data saying the case is approved and the quorum is zero',
    stage: stage.awaiting,
    act: async (f) => click(f, APPROVE, USERS.grady, { state: 'approved', required: 0, approvals: 5, role: 'approver', isApprover: true }),
    refused: /security approver groups.*APPROVAL\.NOT_APPROVER/,
    recorded: journal(APPROVE, 'APPROVAL.NOT_APPROVER', USERS.grady),
  },
  {
    name: 'non-string value: a deny whose reason is an object',
    stage: stage.awaiting,
    act: async (f) => click(f, DENY, USERS.alex, { denyReason: { text: 'looks fine' } }),
    refused: /needs a reason.*INPUT\.REASON_REQUIRED/,
    recorded: journal(DENY, 'INPUT.REASON_REQUIRED', USERS.alex),
  },
  {
    name: 'huge value: a non-approver denies with a 1 MB reason (refused for its size before anything else; nothing unbounded is stored)',
    stage: stage.awaiting,
    act: async (f) => click(f, DENY, USERS.grady, { denyReason: 'x'.repeat(1_000_000) }),
    refused: /"denyReason" is 1000000 characters; at most 500 are accepted.*INPUT\.TOO_LONG/,
    recorded: journal(DENY, 'INPUT.TOO_LONG', USERS.grady),
  },

  // ---- Step ids: only the step that waits may be acted on. --------------------------------------------------------
  {
    name: 'step id of another step: identity verification recorded against the password step',
    stage: stage.identity,
    act: async (f) =>
      click(f, Verb.recordIdentity, USERS.megan, {
        stepId: await stepOf(f, 'resetPassword'),
        identityMethod: 'Video call with manager',
        identityNote: 'checked',
      }),
    refused: /not available now.*STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.recordIdentity, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'step id of another step: "I did it" on the step that already removed the methods',
    stage: stage.identity,
    act: async (f) => click(f, Verb.confirmGuided, USERS.megan, { stepId: await stepOf(f, 'removeAllMethods') }),
    refused: /STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.confirmGuided, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'step id of another step: reveal the password with the identity step id',
    stage: stage.identity,
    act: async (f) => click(f, Verb.revealPassword, USERS.megan, { stepId: await stepOf(f, 'verifyIdentity') }),
    refused: /STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.revealPassword, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'step id not a string',
    stage: stage.password,
    act: async (f) => click(f, Verb.revealPassword, USERS.megan, { stepId: 4 }),
    refused: /STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.revealPassword, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'skip the identity verification of a malicious recovery',
    stage: stage.identity,
    act: async (f) => click(f, Verb.skipStep, USERS.megan, { stepId: await stepOf(f, 'verifyIdentity') }),
    refused: /every step is required.*STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.skipStep, 'STEP.OUT_OF_ORDER', USERS.megan),
  },

  // ---- Replays, double clicks, stale cards. -----------------------------------------------------------------------
  {
    name: 'replay: the same approve invoke sent twice (the second counts nothing)',
    stage: stage.privilegedOneApproved,
    act: async (f) => clickRaw(f, APPROVE, USERS.patti, { caseId: f.caseId, version: f.old, comment: 'Verified by phone' }),
    refused: /already decided.*CASE\.ALREADY_DECIDED/,
    recorded: journal(APPROVE, 'CASE.ALREADY_DECIDED', USERS.patti),
  },
  {
    name: 'double click: the same approver clicks Approve twice at once (one decision)',
    stage: stage.privileged,
    act: async (f) => {
      const data = await f.drive.data(f.caseId);
      const bodies = await Promise.all([f.bot.click(APPROVE, data, { from: USERS.patti }), f.bot.click(APPROVE, data, { from: USERS.patti })]);
      expect(bodies.filter((b) => accepted(b))).toHaveLength(1);
      return bodies.map(invokeText).join('\n');
    },
    refused: /already decided.*CASE\.ALREADY_DECIDED/,
    recorded: journal(APPROVE, 'CASE.ALREADY_DECIDED', USERS.patti),
    legit: (before, after) => {
      expect(after.approval?.decisions.map((d) => d.by.aadObjectId)).toEqual([USERS.patti.id]);
      expect(after.state).toBe('awaitingApproval');
      expect(after.version).toBe(before.version + 1);
    },
  },
  {
    name: 'replay: the approver\u2019s approve invoke replayed after the quorum (old card)',
    stage: stage.identity,
    act: async (f) => clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: f.old }),
    refused: /Approval for case RC-[0-9A-Z]{8}[\s\S]*is running\.[\s\S]*Approved by Alex Wilber/,
    recorded: journal(APPROVE, 'CARD.STALE', USERS.alex),
  },
  {
    name: 'stale: the triage card clicked again after the plan was proposed',
    stage: stage.planned,
    act: async (f) => clickRaw(f, Verb.confirmScenario, USERS.megan, { caseId: f.caseId, version: f.old, scenario: 'accidental', reason: 'changed my mind' }),
    refused: /Triage of case RC-[0-9A-Z]{8}[\s\S]*is planned \(approval not yet requested\)/,
    recorded: journal(Verb.confirmScenario, 'CARD.STALE', USERS.megan),
  },
  {
    name: 'stale: a deny from the old approval card after the quorum',
    stage: stage.identity,
    act: async (f) => clickRaw(f, DENY, USERS.patti, { caseId: f.caseId, version: f.old, denyReason: 'Too late, but let me try' }),
    refused: /Approval for case RC-[0-9A-Z]{8}[\s\S]*is running\.[\s\S]*Approved by Alex Wilber/,
    recorded: journal(DENY, 'CARD.STALE', USERS.patti),
  },
  {
    name: 'stale: an unknown verb on an old card',
    stage: stage.identity,
    act: async (f) => clickRaw(f, 'case.forceApprove', USERS.alex, { caseId: f.caseId, version: f.old }),
    refused: /out of date.*CARD\.STALE/,
    recorded: journal('case.forceApprove', 'CARD.STALE', USERS.alex),
  },
  {
    name: 'approve after deny (current card): refused, and told who decided and when',
    stage: stage.denied,
    act: async (f) => click(f, APPROVE, USERS.patti),
    refused: /denied.*Alex Wilber.*\d{4}-\d\d-\d\dT?.*\((CASE\.ALREADY_DECIDED|CASE\.WRONG_STATE)\)/,
    recorded: journal(APPROVE, '', USERS.patti),
  },
  {
    name: 'approve after deny (the approval card from before the deny)',
    stage: stage.denied,
    act: async (f) => clickRaw(f, APPROVE, USERS.patti, { caseId: f.caseId, version: f.old }),
    refused: /Approval for case RC-[0-9A-Z]{8}[\s\S]*is denied\.[\s\S]*Denied by Alex Wilber at \d{4}-\d\d-\d\d/,
    recorded: journal(APPROVE, 'CARD.STALE', USERS.patti),
  },
  {
    name: 'approve after the quorum by another approver (current card)',
    stage: stage.identity,
    act: async (f) => click(f, APPROVE, USERS.patti),
    refused: /is running; the last decision was made by Alex Wilber.*CASE\.ALREADY_DECIDED/,
    recorded: journal(APPROVE, 'CASE.ALREADY_DECIDED', USERS.patti),
  },
  {
    name: 'deny after the quorum (current card)',
    stage: stage.identity,
    act: async (f) => click(f, DENY, USERS.patti, { denyReason: 'I would have said no' }),
    refused: /CASE\.ALREADY_DECIDED/,
    recorded: journal(DENY, 'CASE.ALREADY_DECIDED', USERS.patti),
  },
  {
    name: 'approve after the privileged quorum by an approver who already decided',
    stage: stage.privilegedQuorum,
    act: async (f) => click(f, APPROVE, USERS.patti),
    refused: /You already decided.*CASE\.ALREADY_DECIDED/,
    recorded: journal(APPROVE, 'CASE.ALREADY_DECIDED', USERS.patti),
  },

  // ---- Who decides: requester, target, non-members, privileged targets. --------------------------------------------
  {
    name: 'the requester approves her own case',
    stage: stage.awaiting,
    act: async (f) => click(f, APPROVE, USERS.megan),
    refused: /opened this case.*APPROVAL\.BY_REQUESTER/,
    recorded: journal(APPROVE, 'APPROVAL.BY_REQUESTER', USERS.megan),
  },
  {
    name: 'the requester denies her own case',
    stage: stage.awaiting,
    act: async (f) => click(f, DENY, USERS.megan, { denyReason: 'Withdrawn' }),
    refused: /APPROVAL\.BY_REQUESTER/,
    recorded: journal(DENY, 'APPROVAL.BY_REQUESTER', USERS.megan),
  },
  {
    name: 'a requester who is also an approver approves her own case',
    stage: stage.requesterIsApprover,
    act: async (f) => click(f, APPROVE, EXTRA.hana),
    refused: /APPROVAL\.BY_REQUESTER/,
    recorded: journal(APPROVE, 'APPROVAL.BY_REQUESTER', EXTRA.hana),
  },
  {
    name: 'the requester approves with her object id in upper case',
    stage: stage.awaiting,
    act: async (f) => click(f, APPROVE, { id: USERS.megan.id.toUpperCase(), name: USERS.megan.name }),
    refused: /APPROVAL\.BY_REQUESTER/,
    recorded: journal(APPROVE, 'APPROVAL.BY_REQUESTER', USERS.megan),
  },
  {
    name: 'approver = target: Alex approves the recovery of his own account',
    stage: stage.approverIsTarget,
    act: async (f) => click(f, APPROVE, USERS.alex),
    refused: /user being recovered.*APPROVAL\.BY_TARGET/,
    recorded: journal(APPROVE, 'APPROVAL.BY_TARGET', USERS.alex),
  },
  {
    name: 'approver = target: Alex denies the recovery of his own account',
    stage: stage.approverIsTarget,
    act: async (f) => click(f, DENY, USERS.alex, { denyReason: 'Not me' }),
    refused: /APPROVAL\.BY_TARGET/,
    recorded: journal(DENY, 'APPROVAL.BY_TARGET', USERS.alex),
  },
  {
    name: 'non-member: Grady, a helpdesk agent, approves',
    stage: stage.awaiting,
    act: async (f) => click(f, APPROVE, USERS.grady),
    refused: /APPROVAL\.NOT_APPROVER/,
    recorded: journal(APPROVE, 'APPROVAL.NOT_APPROVER', USERS.grady),
  },
  {
    name: 'non-member: Grady denies',
    stage: stage.awaiting,
    act: async (f) => click(f, DENY, USERS.grady, { denyReason: 'I do not like it' }),
    refused: /APPROVAL\.NOT_APPROVER/,
    recorded: journal(DENY, 'APPROVAL.NOT_APPROVER', USERS.grady),
  },
  {
    name: 'non-member: Adele, an ordinary user, approves',
    stage: stage.awaiting,
    act: async (f) => click(f, APPROVE, USERS.adele),
    refused: /APPROVAL\.NOT_APPROVER/,
    recorded: journal(APPROVE, 'APPROVAL.NOT_APPROVER', USERS.adele),
  },
  {
    name: 'non-member: an object id that is not in the tenant approves',
    stage: stage.awaiting,
    act: async (f) => click(f, APPROVE, UNKNOWN),
    refused: /APPROVAL\.NOT_APPROVER/,
    recorded: journal(APPROVE, 'APPROVAL.NOT_APPROVER', UNKNOWN),
  },
  {
    name: 'privileged target: Alex (approver, not privileged) approves Nestor',
    stage: stage.privileged,
    act: async (f) => click(f, APPROVE, USERS.alex),
    refused: /privileged \(holds Privileged Authentication Administrator.*privileged approver groups.*APPROVAL\.NOT_APPROVER/,
    recorded: journal(APPROVE, 'APPROVAL.NOT_APPROVER', USERS.alex),
  },
  {
    name: 'privileged target: Alex denies Nestor',
    stage: stage.privileged,
    act: async (f) => click(f, DENY, USERS.alex, { denyReason: 'No' }),
    refused: /APPROVAL\.NOT_APPROVER/,
    recorded: journal(DENY, 'APPROVAL.NOT_APPROVER', USERS.alex),
  },
  {
    name: 'privileged target: Hana (approver, not privileged) completes the quorum after Patti',
    stage: stage.privilegedOneApproved,
    act: async (f) => click(f, APPROVE, EXTRA.hana),
    refused: /APPROVAL\.NOT_APPROVER/,
    recorded: journal(APPROVE, 'APPROVAL.NOT_APPROVER', EXTRA.hana),
  },

  // ---- Time. ------------------------------------------------------------------------------------------------------
  {
    name: 'expired request: approve',
    stage: stage.expired,
    act: async (f) => click(f, APPROVE, USERS.alex),
    refused: /expired at .*APPROVAL\.EXPIRED/,
    recorded: journal(APPROVE, 'APPROVAL.EXPIRED', USERS.alex),
  },
  {
    name: 'expired request: deny',
    stage: stage.expired,
    act: async (f) => click(f, DENY, USERS.patti, { denyReason: 'late' }),
    refused: /APPROVAL\.EXPIRED/,
    recorded: journal(DENY, 'APPROVAL.EXPIRED', USERS.patti),
  },

  // ---- Conversation, tenant, sender. --------------------------------------------------------------------------------
  {
    name: 'wrong conversation: the approval card copied into another channel',
    stage: stage.awaiting,
    act: async (f) =>
      clickRaw(
        f,
        APPROVE,
        USERS.alex,
        { caseId: f.caseId, version: await versionOf(f.drive, f.caseId), sig: await sigOf(f) },
        { conversationId: ANOTHER_CHANNEL },
      ),
    refused: /belongs to case RC-[0-9A-Z]{8}, which lives in another conversation or thread; it works only there\. Nothing was changed\. \(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'wrong conversation: the approval card copied into a personal chat with the bot',
    stage: stage.awaiting,
    act: async (f) =>
      clickRaw(
        f,
        APPROVE,
        USERS.alex,
        { caseId: f.caseId, version: await versionOf(f.drive, f.caseId), sig: await sigOf(f) },
        { conversationId: ALEX_PERSONAL_CHAT },
      ),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'wrong conversation: a card validly signed for another conversation, clicked there',
    stage: stage.awaiting,
    act: async (f) => click(f, APPROVE, USERS.alex, {}, { conversationId: ANOTHER_CHANNEL }),
    refused: /belongs to case RC-[0-9A-Z]{8}, which lives in another conversation or thread.*\(CARD\.INVALID\)$/,
    recorded: journal(APPROVE, 'CARD.INVALID', USERS.alex),
  },
  {
    name: 'forged from: Alex\u2019s object id on a click whose signature was made for another conversation',
    stage: stage.awaiting,
    act: async (f) =>
      clickRaw(f, APPROVE, USERS.alex, { caseId: f.caseId, version: await versionOf(f.drive, f.caseId), sig: await sigOf(f, f.caseId, ANOTHER_CHANNEL) }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'forged from: Alex\u2019s object id on a click whose signature was made for another tenant',
    stage: stage.awaiting,
    act: async (f) =>
      clickRaw(f, APPROVE, USERS.alex, {
        caseId: f.caseId,
        version: await versionOf(f.drive, f.caseId),
        sig: await sigOf(f, f.caseId, THREAD, FOREIGN_TENANT),
      }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },
  {
    name: 'wrong tenant (message): recover from another tenant',
    stage: stage.awaiting,
    act: async (f) => repliesText(await f.bot.send(`recover ${USERS.adele.upn}`, { tenantId: FOREIGN_TENANT })),
    refused: /one Entra tenant only.*TENANT\.FOREIGN/,
    recorded: { log: /ignored an activity from another tenant/ },
  },
  {
    name: 'wrong tenant (message): status of a real case from another tenant',
    stage: stage.awaiting,
    act: async (f) => repliesText(await f.bot.send(`status ${f.caseId}`, { from: USERS.alex, tenantId: FOREIGN_TENANT })),
    refused: /TENANT\.FOREIGN/,
    recorded: { log: /ignored an activity from another tenant/ },
  },
  {
    name: 'wrong tenant (invoke): an approve from another tenant is answered, not dropped',
    stage: stage.awaiting,
    act: async (f) => {
      const version = await versionOf(f.drive, f.caseId);
      const sig = f.bot.signer.sign({ tenantId: FOREIGN_TENANT, conversationId: THREAD, caseId: f.caseId, version });
      const from = { id: `29:${USERS.alex.id}`, name: USERS.alex.name, aadObjectId: USERS.alex.id };
      return invokeText((await rawInvoke(f.bot, APPROVE, { caseId: f.caseId, version, sig }, { from, tenantId: FOREIGN_TENANT })).body);
    },
    refused: /TENANT\.FOREIGN/,
    recorded: { log: /ignored an activity from another tenant/ },
  },
  {
    name: 'unknown verb on a current card',
    stage: stage.awaiting,
    act: async (f) => click(f, 'case.delete', USERS.alex),
    refused: /INPUT\.MALFORMED: This card action is not understood/,
    recorded: journal('case.delete', 'INPUT.MALFORMED', USERS.alex),
  },
  {
    name: 'missing from.aadObjectId on an approve',
    stage: stage.awaiting,
    act: async (f) => {
      const data = { ...(await f.drive.data(f.caseId)), sig: await sigOf(f) };
      return invokeText((await rawInvoke(f.bot, APPROVE, data, { from: { id: '29:someone', name: 'Someone' } })).body);
    },
    refused: /could not tell who clicked.*nothing was changed/,
    recorded: { journal: `Refused: ${APPROVE}`, code: '', by: 'unknown sender' },
  },
  {
    name: 'automatic trigger: an approve invoke sent as an automatic refresh changes nothing',
    stage: stage.awaiting,
    act: async (f) => click(f, APPROVE, USERS.alex, {}, { trigger: 'automatic' }),
    refused: /[Nn]othing was changed.*\([A-Z]+\.[A-Z_]+\)/,
    recorded: journal(APPROVE, '', USERS.alex),
  },
  {
    name: 'automatic refresh with a tampered signature',
    stage: stage.awaiting,
    act: async (f) => clickRaw(f, Verb.refreshApproval, USERS.alex, { caseId: f.caseId, version: await versionOf(f.drive, f.caseId), sig: 'tampered' }),
    refused: /CARD\.INVALID/,
    recorded: invalidCard,
  },

  // ---- Secrets. -----------------------------------------------------------------------------------------------------
  {
    name: 'secret: Alex (an approver, not the requester) reveals the password',
    stage: stage.password,
    act: async (f) => click(f, Verb.revealPassword, USERS.alex, { stepId: await stepOf(f, 'resetPassword') }),
    refused: /Only Megan Bowen.*CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.revealPassword, 'CASE.NOT_REQUESTER', USERS.alex),
  },
  {
    name: 'secret: Grady (another helpdesk agent) reveals the password',
    stage: stage.password,
    act: async (f) => click(f, Verb.revealPassword, USERS.grady, { stepId: await stepOf(f, 'resetPassword') }),
    refused: /CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.revealPassword, 'CASE.NOT_REQUESTER', USERS.grady),
  },
  {
    name: 'secret: Grady reveals the TAP',
    stage: stage.tap,
    act: async (f) => click(f, Verb.revealTap, USERS.grady, { stepId: await stepOf(f, 'issueTap'), tapLifetime: '60', tapOneTime: 'true' }),
    refused: /CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.revealTap, 'CASE.NOT_REQUESTER', USERS.grady),
  },
  {
    name: 'secret: the target himself reveals the TAP',
    stage: stage.tap,
    act: async (f) => click(f, Verb.revealTap, USERS.lee, { stepId: await stepOf(f, 'issueTap') }),
    refused: /CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.revealTap, 'CASE.NOT_REQUESTER', USERS.lee),
  },
  {
    name: 'secret: the password revealed before the identity verification',
    stage: stage.identity,
    act: async (f) => click(f, Verb.revealPassword, USERS.megan, { stepId: await stepOf(f, 'resetPassword') }),
    refused: /not available now.*STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.revealPassword, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'secret: the TAP revealed before the identity verification',
    stage: stage.identity,
    act: async (f) => click(f, Verb.revealTap, USERS.megan, { stepId: await stepOf(f, 'issueTap') }),
    refused: /STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.revealTap, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'secret: the TAP revealed before the password step (out of order)',
    stage: stage.password,
    act: async (f) => click(f, Verb.revealTap, USERS.megan, { stepId: await stepOf(f, 'issueTap') }),
    refused: /STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.revealTap, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'secret: the password revealed twice',
    stage: stage.tap,
    act: async (f) => click(f, Verb.revealPassword, USERS.megan, { stepId: await stepOf(f, 'resetPassword') }),
    refused: /not available now.*STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.revealPassword, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'secret: the TAP revealed twice',
    stage: stage.check,
    act: async (f) => click(f, Verb.revealTap, USERS.megan, { stepId: await stepOf(f, 'issueTap') }),
    refused: /STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.revealTap, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'identity verification recorded by Alex, not the requester',
    stage: stage.identity,
    act: async (f) =>
      click(f, Verb.recordIdentity, USERS.alex, {
        stepId: await stepOf(f, 'verifyIdentity'),
        identityMethod: 'Video call with manager',
        identityNote: 'Trust me',
      }),
    refused: /Only Megan Bowen.*CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.recordIdentity, 'CASE.NOT_REQUESTER', USERS.alex),
  },
  {
    name: 'identity verification recorded by Grady, not the requester',
    stage: stage.identity,
    act: async (f) =>
      click(f, Verb.recordIdentity, USERS.grady, {
        stepId: await stepOf(f, 'verifyIdentity'),
        identityMethod: 'Video call with manager',
        identityNote: 'Looks right',
      }),
    refused: /CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.recordIdentity, 'CASE.NOT_REQUESTER', USERS.grady),
  },
  {
    name: 'identity verification with a method that is not allowed',
    stage: stage.identity,
    act: async (f) =>
      click(f, Verb.recordIdentity, USERS.megan, {
        stepId: await stepOf(f, 'verifyIdentity'),
        identityMethod: 'He sounded like Lee',
        identityNote: 'On the phone',
      }),
    refused: /Choose one of.*INPUT\.MALFORMED/,
    recorded: journal(Verb.recordIdentity, 'INPUT.MALFORMED', USERS.megan),
  },
  {
    name: 'identity verification without a note',
    stage: stage.identity,
    act: async (f) =>
      click(f, Verb.recordIdentity, USERS.megan, { stepId: await stepOf(f, 'verifyIdentity'), identityMethod: 'Video call with manager', identityNote: '   ' }),
    refused: /INPUT\.REASON_REQUIRED/,
    recorded: journal(Verb.recordIdentity, 'INPUT.REASON_REQUIRED', USERS.megan),
  },
  {
    name: 'guided step ("I did it, re-check") confirmed by Alex, not the requester',
    stage: stage.check,
    act: async (f) => click(f, Verb.confirmGuided, USERS.alex, { stepId: await stepOf(f, 'checkMethods') }),
    refused: /CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.confirmGuided, 'CASE.NOT_REQUESTER', USERS.alex),
  },
  {
    name: 'guided restore confirmed by Grady, not the requester',
    stage: stage.restore,
    act: async (f) => click(f, Verb.confirmGuided, USERS.grady, { stepId: await stepOf(f, 'pointInTimeRestore') }),
    refused: /CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.confirmGuided, 'CASE.NOT_REQUESTER', USERS.grady),
  },

  // ---- Denied and cancelled cases. ------------------------------------------------------------------------------------
  {
    name: 'denied case: identity verification recorded',
    stage: stage.denied,
    act: async (f) =>
      click(f, Verb.recordIdentity, USERS.megan, {
        stepId: await stepOf(f, 'verifyIdentity'),
        identityMethod: 'Video call with manager',
        identityNote: 'anyway',
      }),
    refused: /is denied.*STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.recordIdentity, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'denied case: password revealed',
    stage: stage.denied,
    act: async (f) => click(f, Verb.revealPassword, USERS.megan, { stepId: await stepOf(f, 'resetPassword') }),
    refused: /STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.revealPassword, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'denied case: started anyway',
    stage: stage.denied,
    act: async (f) => click(f, Verb.start, USERS.megan),
    refused: /denied.*CASE\.WRONG_STATE/,
    recorded: journal(Verb.start, 'CASE.WRONG_STATE', USERS.megan),
  },
  {
    name: 'cancelled case: approval requested again',
    stage: stage.cancelled,
    act: async (f) => click(f, Verb.requestApproval, USERS.megan),
    refused: /cancelled.*CASE\.WRONG_STATE/,
    recorded: journal(Verb.requestApproval, 'CASE.WRONG_STATE', USERS.megan),
  },
  {
    name: 'cancelled case: approved by Alex',
    stage: stage.cancelled,
    act: async (f) => click(f, APPROVE, USERS.alex),
    refused: /is cancelled.*\((CASE\.WRONG_STATE|CASE\.ALREADY_DECIDED)\)/,
    recorded: journal(APPROVE, '', USERS.alex),
  },
  {
    name: 'cancelled case: a step confirmed',
    stage: stage.cancelled,
    act: async (f) => click(f, Verb.confirmGuided, USERS.megan, { stepId: await stepOf(f, 'removeAllMethods') }),
    refused: /STEP\.OUT_OF_ORDER/,
    recorded: journal(Verb.confirmGuided, 'STEP.OUT_OF_ORDER', USERS.megan),
  },
  {
    name: 'cancelled case: the old plan card\u2019s Request approval',
    stage: stage.cancelled,
    act: async (f) => clickRaw(f, Verb.requestApproval, USERS.megan, { caseId: f.caseId, version: f.old }),
    refused: /Recovery plan for case RC-[0-9A-Z]{8}[\s\S]*is cancelled\./,
    recorded: journal(Verb.requestApproval, 'CARD.STALE', USERS.megan),
  },

  // ---- Reasons and ownership. -----------------------------------------------------------------------------------------
  {
    name: 'deny without a reason',
    stage: stage.awaiting,
    act: async (f) => click(f, DENY, USERS.alex),
    refused: /A denial needs a reason.*INPUT\.REASON_REQUIRED/,
    recorded: journal(DENY, 'INPUT.REASON_REQUIRED', USERS.alex),
  },
  {
    name: 'deny with a reason of blanks',
    stage: stage.awaiting,
    act: async (f) => click(f, DENY, USERS.alex, { denyReason: ' \t\n ' }),
    refused: /INPUT\.REASON_REQUIRED/,
    recorded: journal(DENY, 'INPUT.REASON_REQUIRED', USERS.alex),
  },
  {
    name: 'override the malicious recommendation without a reason',
    stage: stage.triaged,
    act: async (f) => click(f, Verb.confirmScenario, USERS.megan, { scenario: 'accidental' }),
    refused: /needs a reason.*INPUT\.REASON_REQUIRED/,
    recorded: journal(Verb.confirmScenario, 'INPUT.REASON_REQUIRED', USERS.megan),
  },
  {
    name: 'override the recommendation with a reason of blanks',
    stage: stage.triaged,
    act: async (f) => click(f, Verb.confirmScenario, USERS.megan, { scenario: 'accidental', reason: '   ' }),
    refused: /INPUT\.REASON_REQUIRED/,
    recorded: journal(Verb.confirmScenario, 'INPUT.REASON_REQUIRED', USERS.megan),
  },
  {
    name: 'a scenario that does not exist',
    stage: stage.triaged,
    act: async (f) => click(f, Verb.confirmScenario, USERS.megan, { scenario: 'wipe-everything' }),
    refused: /Choose accidental or malicious.*INPUT\.MALFORMED/,
    recorded: journal(Verb.confirmScenario, 'INPUT.MALFORMED', USERS.megan),
  },
  {
    name: 'the scenario confirmed by Alex, not the requester',
    stage: stage.triaged,
    act: async (f) => click(f, Verb.confirmScenario, USERS.alex, { scenario: 'malicious' }),
    refused: /CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.confirmScenario, 'CASE.NOT_REQUESTER', USERS.alex),
  },
  {
    name: 'approval requested by Grady, not the requester',
    stage: stage.planned,
    act: async (f) => click(f, Verb.requestApproval, USERS.grady),
    refused: /CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.requestApproval, 'CASE.NOT_REQUESTER', USERS.grady),
  },
  {
    name: 'cancel by Alex, not the requester',
    stage: stage.awaiting,
    act: async (f) => click(f, Verb.cancel, USERS.alex, { cancelReason: 'I cancel this' }),
    refused: /Only Megan Bowen can cancel.*CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.cancel, 'CASE.NOT_REQUESTER', USERS.alex),
  },
  {
    name: 'cancel by Grady, not the requester',
    stage: stage.planned,
    act: async (f) => click(f, Verb.cancel, USERS.grady, { cancelReason: 'duplicate' }),
    refused: /CASE\.NOT_REQUESTER/,
    recorded: journal(Verb.cancel, 'CASE.NOT_REQUESTER', USERS.grady),
  },
  {
    name: 'cancel by the requester without a reason',
    stage: stage.awaiting,
    act: async (f) => click(f, Verb.cancel, USERS.megan),
    refused: /INPUT\.REASON_REQUIRED/,
    recorded: journal(Verb.cancel, 'INPUT.REASON_REQUIRED', USERS.megan),
  },
  {
    name: 'retry of a step that did not fail, by Alex',
    stage: stage.identity,
    act: async (f) => click(f, Verb.retryStep, USERS.alex, { stepId: await stepOf(f, 'removeAllMethods') }),
    refused: /CASE\.WRONG_STATE/,
    recorded: journal(Verb.retryStep, 'CASE.WRONG_STATE', USERS.alex),
  },
];

/** Every case in the store, by id. */
async function allCases(bot: BotHarness): Promise<Map<string, RecoveryCase>> {
  const ids = [...(await bot.cases.ids())].sort();
  const found = new Map<string, RecoveryCase>();
  for (const id of ids) {
    const stored = await bot.cases.get(id);
    if (stored) found.set(id, stored.value);
  }
  return found;
}

/** The case without the journal and the refusal counter: what a refused attempt must not change. */
const withoutJournal = (c: RecoveryCase | undefined): unknown => {
  if (!c) return undefined;
  return Object.fromEntries(Object.entries(c).filter(([key]) => key !== 'journal' && key !== 'refusals'));
};

describe('issue 4: adversarial card actions and messages are refused, change nothing, and are recorded', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start(adversarialSeed());
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('has at least 50 attacks in the table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(50);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  for (const row of rows) {
    // ADVERSARIAL_SHOW_BUGS=1 runs the known bugs as ordinary tests, to see how they fail.
    const test = row.bug && !process.env.ADVERSARIAL_SHOW_BUGS ? it.failing : it;
    test(row.name, async () => {
      const drive = new CaseDriver(bot);
      const built = await row.stage(drive);
      const f: Fixture = { bot, drive, caseId: built.caseId, others: built.others ?? [], old: built.old ?? -1 };
      const tenantBefore = tenantSnapshot(bot);
      const casesBefore = await allCases(bot);
      const writesBefore = bot.poster.writes.length;
      const logsBefore = bot.logs.length;

      const said = await row.act(f);

      // 1. Refused with a clear message.
      expect(said).toMatch(row.refused);
      // 2. Nothing changed in the tenant; no shared card was edited for a refusal.
      expect(tenantSnapshot(bot)).toEqual(tenantBefore);
      if (!row.legit) expect(bot.poster.writes.length).toBe(writesBefore);
      // 3. Recorded: a journal line on the case, or a warning when there is no trusted case to journal on.
      const casesAfter = await allCases(bot);
      expect([...casesAfter.keys()]).toEqual([...casesBefore.keys()]);
      const before = casesBefore.get(f.caseId)!;
      const after = casesAfter.get(f.caseId)!;
      for (const id of casesBefore.keys()) if (id !== f.caseId) expect(casesAfter.get(id)).toEqual(casesBefore.get(id));
      if ('log' in row.recorded) {
        const warnings = bot.logs.slice(logsBefore).filter((l) => l.level === 'warn');
        expect(warnings.map((l) => l.message)).toEqual(expect.arrayContaining([expect.stringMatching(row.recorded.log)]));
        expect(after).toEqual(before);
      } else {
        const added = after.journal.slice(before.journal.length);
        const refusal = added.filter((j) => j.event === (row.recorded as { journal: string }).journal);
        expect(refusal).toHaveLength(1);
        expect(refusal[0]).toMatchObject({ by: row.recorded.by });
        if (row.recorded.code) expect(refusal[0]?.detail).toBe(row.recorded.code);
        else {
          // Any code, but the one the clicker was told, when they were told one.
          expect(refusal[0]?.detail).toMatch(/^[A-Z]+\.[A-Z_]+$/);
          const told = /\(([A-Z]+\.[A-Z_]+)\)\s*$/.exec(said)?.[1];
          if (told) expect(refusal[0]?.detail).toBe(told);
        }
        if (row.legit) row.legit(before, after);
        else {
          expect(added).toHaveLength(1);
          expect(withoutJournal(after)).toEqual(withoutJournal(before));
        }
      }
    });
  }
});

describe('automatic refresh never changes anything', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start(adversarialSeed());
  });
  afterEach(async () => {
    await bot.stop();
  });

  const refreshers: { name: string; by: Person; conversationId?: string; staleBy?: number }[] = [
    { name: 'a pending approver', by: USERS.alex },
    { name: 'the requester', by: USERS.megan },
    { name: 'an approver with an old card', by: USERS.patti, staleBy: 1 },
  ];
  it('a non-member: refused (the card is not for them, issue 15), journaled; thread and tenant are untouched', async () => {
    const drive = new CaseDriver(bot);
    const caseId = await drive.awaiting(USERS.lee.upn);
    const c = await drive.get(caseId);
    const tenantBefore = tenantSnapshot(bot);
    const writesBefore = bot.poster.writes.length;
    const body = await bot.click(Verb.refreshApproval, { caseId, version: c.version }, { from: USERS.adele, trigger: 'automatic' });
    expect(invokeText(body)).toMatch(/\(CARD\.NOT_AUDIENCE\)$/);
    const after = await drive.get(caseId);
    expect({ ...after, journal: [], refusals: 0, version: 0, updatedAt: '' }).toEqual({ ...c, journal: [], refusals: 0, version: 0, updatedAt: '' });
    expect(after.journal.slice(c.journal.length).map((j) => j.event)).toEqual([`Refused: ${Verb.refreshApproval}`]);
    expect(bot.poster.writes.length).toBe(writesBefore);
    expect(tenantSnapshot(bot)).toEqual(tenantBefore);
  });
  for (const r of refreshers) {
    it(`${r.name}: the approval card is shown to them only; case, thread and tenant are untouched`, async () => {
      const drive = new CaseDriver(bot);
      const caseId = await drive.awaiting(USERS.lee.upn);
      const c = await drive.get(caseId);
      const tenantBefore = tenantSnapshot(bot);
      const writesBefore = bot.poster.writes.length;
      const body = await bot.click(Verb.refreshApproval, { caseId, version: c.version - (r.staleBy ?? 0) }, { from: r.by, trigger: 'automatic' });
      expect(refusalOf(body)).toBeUndefined();
      expect(invokeText(body)).toMatch(new RegExp(`Approval for case ${caseId}`));
      expect(await drive.get(caseId)).toEqual(c);
      expect(bot.poster.writes.length).toBe(writesBefore);
      expect(tenantSnapshot(bot)).toEqual(tenantBefore);
    });
  }
});
