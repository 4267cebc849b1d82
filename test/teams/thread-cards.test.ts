import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import type { ThreadRef } from '../../src/domain/case';
import { InMemoryStorage } from '../../src/store/memory-storage';
import { CardSigner } from '../../src/teams/card-signature';
import { isLive, ThreadCards } from '../../src/teams/thread-cards';
import { renderCaseCard } from '../../src/teams/case-cards';
import type { RecoveryCase } from '../../src/domain/case';
import { apply, nextStep } from '../../src/domain/workflow';
import { formatUtc } from '../../src/views/format';
import { buttonsOf, inputIdsOf, verbsIn } from '../views/card-queries';
import { CardRenderer } from '../../src/views/card-renderer';
import { RecordingPoster, recordingLogger, type LogLine, type ThreadWrite } from '../helpers/bot-harness';
import { textsOf } from '../helpers/card-checks';
import * as S from '../views/sample-states';
import { pinnedClock } from '../helpers/test-clock';

/** A connector that takes a while to answer a post, so that two changes can be shown at the same moment. */
class SlowPoster extends RecordingPoster {
  failNext = false;
  override async post(thread: ThreadRef, activity: Partial<Activity>): Promise<string> {
    await new Promise((r) => setTimeout(r, 50));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('Teams answered 502');
    }
    return super.post(thread, activity);
  }
}

describe('ThreadCards: one message per card, also when changes are shown at the same moment', () => {
  const cards = new CardRenderer(join(__dirname, '..', '..', 'cards'), true);
  const signer = new CardSigner('thread-cards-test-signing-key-0123456789abcdef');
  let storage: InMemoryStorage;
  let poster: SlowPoster;
  let logs: LogLine[];
  const clock = pinnedClock();
  const instance = () => new ThreadCards(poster, storage, { cards, signer, logger: recordingLogger(logs), clock: { now: clock } });
  const headings = () =>
    poster.writes.map((w) => `${w.kind} ${textsOf(w.activity.attachments?.[0]?.content).find((t) => /of case|for case|Case RC/.test(t)) ?? ''}`);
  beforeEach(() => {
    storage = new InMemoryStorage();
    poster = new SlowPoster();
    logs = [];
  });

  it('two instances showing the new phase at once post its card once; the other edits it', async () => {
    const started = S.executing();
    const nextChange = { ...started, version: started.version + 1 };
    await Promise.all([instance().caseChanged(started), instance().caseChanged(nextChange)]);
    const progress = poster.writes.filter((w) => textsOf(w.activity.attachments?.[0]?.content).includes(`Recovery of case ${started.id}`));
    expect(progress.filter((w) => w.kind === 'post')).toHaveLength(1);
    expect(progress.filter((w) => w.kind === 'update')).toHaveLength(1);
    expect(progress[1]?.activityId).toBe(progress[0]?.activityId);
  });

  it('a failed post frees the card again, so the next change posts it', async () => {
    poster.failNext = true;
    const c = S.executing();
    await instance().caseChanged(c);
    expect(poster.writes).toEqual([]);
    expect(logs.some((l) => l.level === 'warn' && l.message === 'could not update the thread')).toBe(true);
    await instance().caseChanged({ ...c, version: c.version + 1 });
    expect(headings()).toEqual([`post Recovery of case ${c.id}`]);
  });

  it('a claim left by an instance that died while posting (30 s without a message) is taken over', async () => {
    const c = S.executing();
    await storage.create(`threads/${c.id}/progress`, { claimedAt: new Date(clock().getTime() - 60_000).toISOString() });
    await instance().caseChanged(c);
    expect(headings()).toEqual([`post Recovery of case ${c.id}`]);
  });
});

describe('ThreadCards: earlier cards end in a final, button-free state that says what happened', () => {
  const world = recordingThread();
  const instance = world.instance;
  const cards = world.cards;
  const signer = world.signer;
  /** Every message the bot wrote, as it reads now (its last write). */
  const lastWrites = (): Map<string, ThreadWrite> => new Map(world.poster().writes.map((w) => [w.activityId, w]));
  const writesTo = (id: string) => world.poster().writes.filter((w) => w.activityId === id);
  const idOf = (heading: string): string => {
    const w = world.poster().writes.find((x) => x.kind === 'post' && textsOf(cardOf(x)).some((t) => t.startsWith(heading)));
    if (!w) throw new Error(`no message "${heading}"`);
    return w.activityId;
  };
  const showAll = async (...states: RecoveryCase[]): Promise<void> => {
    for (const c of states) await instance().caseChanged(c);
  };

  const STATES: [string, () => RecoveryCase][] = [
    ['triaged', () => S.triaged()],
    ['planProposed', () => S.planned()],
    ['awaitingApproval', () => S.awaiting()],
    ['approved', () => S.approved()],
    ['executing', () => S.waitingOn('accidental', 'verifyIdentity')],
    ['failed', () => S.failed()],
    ['validating', () => S.validating()],
    ['documented', () => S.documented()],
    ['denied', () => S.denied()],
    ['expired', () => S.expired()],
    ['cancelled', () => S.cancelled()],
  ];
  const KINDS = ['triage', 'plan', 'approval', 'progress', 'summary'] as const;

  it.each(STATES)('in state %s, a card has buttons exactly when the LIVE table says so', (_state, make) => {
    const c = make();
    for (const kind of KINDS) {
      const hasButtons = buttonsOf(renderCaseCard({ cards, signer }, kind, c).content).length > 0;
      // The table that decides which cards get their final edit must agree with what the views draw.
      expect({ kind, hasButtons }).toEqual({ kind, hasButtons: isLive(kind, c.state) });
    }
  });

  it('a whole case: every earlier card is edited once to its final state, and at the end no message has a button', async () => {
    const awaiting = S.awaiting('accidental', 1);
    const approved = S.given(awaiting, { type: 'approve', by: S.ALEX });
    const started = S.given(approved, { type: 'startExecution', by: S.MEGAN });
    await showAll(S.triaged(S.ACCIDENTAL_TRIAGE), S.planned('accidental'), awaiting, approved, started);
    let c = started;
    // Every step, each a change that the progress card shows.
    for (let step = nextStep(c); step; step = nextStep(c)) {
      c = S.given(c, { type: 'waitForAgent', stepId: step.id, detail: 'Waiting for the agent' });
      if (step.kind === 'verifyIdentity') c = S.given(c, { type: 'recordIdentityVerification', by: S.MEGAN, method: 'Video call with manager', note: 'seen' });
      await showAll(c);
      c = S.given(
        c,
        { type: 'startStep', stepId: step.id, by: S.MEGAN },
        { type: 'completeStep', stepId: step.id, requestIds: [], detail: 'done', by: S.MEGAN },
      );
      await showAll(c);
    }
    expect(c.state).toBe('validating');
    c = S.given(c, { type: 'recordValidation', checks: [] }, { type: 'document', by: S.MEGAN, lessons: 'none: a test case' });
    await showAll(c);
    for (const w of lastWrites().values()) expect({ id: w.activityId, buttons: buttonsOf(cardOf(w)) }).toEqual({ id: w.activityId, buttons: [] });
    // The triage card: posted, edited while the plan was proposed ("Change scenario" still offered), then once, final.
    const triage = writesTo(idOf(`Triage of case ${c.id}`));
    expect(triage.map((w) => w.kind)).toEqual(['post', 'update', 'update']);
    expect(textsOf(cardOf(triage[2]))).toContain(`Case ${c.id} is waiting for approval.`);
    // The plan card: edited exactly once after the case moved past it, whatever followed (a dozen changes).
    expect(writesTo(idOf(`Recovery plan for case ${c.id}`)).map((w) => w.kind)).toEqual(['post', 'update']);
    // The approval card: edited when the request was decided (its phase's last state), then once when the case moved on.
    const approval = writesTo(idOf(`Approval for case ${c.id}`));
    expect(approval.map((w) => w.kind)).toEqual(['post', 'update', 'update']);
    expect(textsOf(cardOf(approval[2])).join(' ')).toMatch(/Approved by Alex Wilber/);
  });

  it('the approval card is not edited while its form is open, and nothing is posted; the card catches up once decided', async () => {
    const awaiting = S.awaiting('malicious', 2);
    await showAll(awaiting);
    const approvalId = idOf(`Approval for case ${awaiting.id}`);
    const before = world.poster().writes.length;
    const oneApproval = S.given(awaiting, { type: 'approve', by: S.ALEX, comment: 'Called her back' });
    // Two instances hear of the same change.
    await Promise.all([instance().caseChanged(oneApproval), instance().caseChanged(oneApproval)]);
    expect(world.poster().writes.slice(before)).toEqual([]);
    const decided = S.given(oneApproval, { type: 'approve', by: S.PATTI });
    await showAll(decided);
    expect(writesTo(approvalId).map((w) => w.kind)).toEqual(['post', 'update']);
    expect(buttonsOf(cardOf(writesTo(approvalId)[1]))).toEqual([]);
    expect(textsOf(cardOf(writesTo(approvalId)[1])).join(' ')).toMatch(/Approved by Alex Wilber and Patti Fernandez/);
  });

  it.each([
    ['denied', (c: RecoveryCase) => S.given(c, { type: 'deny', by: S.PATTI, reason: 'Caller failed the callback' }), /Denied by Patti Fernandez/],
    ['expired', (c: RecoveryCase) => expire(c), /expired at/],
    ['cancelled', (c: RecoveryCase) => S.given(c, { type: 'cancel', by: S.MEGAN, reason: 'Duplicate' }), /cancelled/],
  ] as const)('%s: every card of the case ends without buttons and says so', async (_name, end, says) => {
    const awaiting = S.awaiting('malicious', 2);
    await showAll(S.triaged(), S.planned(), awaiting);
    const ended = end(awaiting);
    await showAll(ended);
    for (const w of lastWrites().values()) expect(buttonsOf(cardOf(w))).toEqual([]);
    expect(textsOf(cardOf(lastWrites().get(idOf(`Approval for case ${awaiting.id}`)))).join(' ')).toMatch(says);
  });

  it('a reveal message whose step was marked not needed is edited at once to say no TAP was issued', async () => {
    const tapWaiting = S.waitingOn('malicious', 'issueTap');
    await showAll(tapWaiting);
    const tapStep = nextStep(tapWaiting)!;
    const revealId = idOf(`Case ${tapWaiting.id}: Temporary Access Pass`);
    expect(verbsIn(cardOf(writesTo(revealId)[0]))).toEqual(['case.step.revealTap']);
    const skipped = S.given(tapWaiting, {
      type: 'completeStep',
      stepId: tapStep.id,
      requestIds: [],
      detail: 'Not needed: Account Recovery issued the user their Temporary Access Pass (Megan Bowen)',
      by: S.MEGAN,
    });
    await Promise.all([instance().caseChanged(skipped), instance().caseChanged({ ...skipped })]);
    const edits = writesTo(revealId);
    expect(edits.map((w) => w.kind)).toEqual(['post', 'update']);
    expect(buttonsOf(cardOf(edits[1]))).toEqual([]);
    expect(textsOf(cardOf(edits[1]))).toContain(
      `No Temporary Access Pass was issued: not needed: Account Recovery issued the user their Temporary Access Pass (Megan Bowen) at ${formatUtc(skipped.steps?.[tapStep.id]?.at)}.`,
    );
    await showAll({ ...skipped, version: skipped.version + 1 });
    expect(writesTo(revealId)).toHaveLength(2);
  });

  it('a revealed value stays on the screen: its reveal message is not edited until the case is closed', async () => {
    const tapWaiting = S.waitingOn('malicious', 'issueTap');
    await showAll(tapWaiting);
    const revealId = idOf(`Case ${tapWaiting.id}: Temporary Access Pass`);
    const tapStep = nextStep(tapWaiting)!;
    const revealed = S.given(
      tapWaiting,
      { type: 'startStep', stepId: tapStep.id, by: S.MEGAN },
      { type: 'completeStep', stepId: tapStep.id, requestIds: ['req-tap'], detail: 'Temporary Access Pass issued', by: S.MEGAN },
    );
    await showAll(revealed);
    expect(writesTo(revealId)).toHaveLength(1);
    let c = revealed;
    for (let step = nextStep(c); step; step = nextStep(c))
      c = S.given(
        c,
        { type: 'startStep', stepId: step.id, by: S.MEGAN },
        { type: 'completeStep', stepId: step.id, requestIds: [], detail: 'done', by: S.MEGAN },
      );
    await showAll(c);
    expect(writesTo(revealId)).toHaveLength(1);
    await showAll(S.given(c, { type: 'recordValidation', checks: [] }, { type: 'document', by: S.MEGAN, lessons: 'none: a test case' }));
    expect(writesTo(revealId).map((w) => w.kind)).toEqual(['post', 'update']);
    expect(textsOf(cardOf(writesTo(revealId)[1])).join(' ')).toMatch(/Revealed to Megan Bowen at .*; the value was not kept\./);
  });
});

const cardOf = (w: ThreadWrite | undefined): Record<string, unknown> => (w?.activity.attachments?.[0]?.content ?? {}) as Record<string, unknown>;

/** ThreadCards instances over one storage and a recording poster, fresh for each test; `poster()` is the current one. */
function recordingThread() {
  const cards = new CardRenderer(join(__dirname, '..', '..', 'cards'), true);
  const signer = new CardSigner('thread-cards-test-signing-key-0123456789abcdef');
  const clock = pinnedClock();
  let storage = new InMemoryStorage();
  let current = new RecordingPoster();
  beforeEach(() => {
    storage = new InMemoryStorage();
    current = new RecordingPoster();
  });
  return {
    cards,
    signer,
    poster: () => current,
    instance: () => new ThreadCards(current, storage, { cards, signer, logger: recordingLogger([]), clock: { now: clock } }),
  };
}

function expire(c: RecoveryCase): RecoveryCase {
  const result = apply(c, { type: 'expire' }, new Date(Date.parse(c.approval?.expiresAt ?? '') + 60_000));
  if (!result.ok) throw new Error(result.message);
  return result.value.case;
}

describe('ThreadCards: a form is a message of its own, never edited while it is open', () => {
  const world = recordingThread();
  const instance = world.instance;
  const writesOf = (title: string): ThreadWrite[] => {
    const posted = world.poster().writes.find((w) => w.kind === 'post' && textsOf(cardOf(w)).includes(title));
    return posted ? world.poster().writes.filter((w) => w.activityId === posted.activityId) : [];
  };
  const show = async (...states: RecoveryCase[]): Promise<void> => {
    for (const c of states) await Promise.all([instance().caseChanged(c), instance().caseChanged(c)]);
  };

  it('the identity form: posted once, untouched by a dozen progress edits, closed once when the fallback is asked; each fallback and each new round likewise', async () => {
    const waiting = S.waitingOn('malicious', 'verifyIdentity');
    await show(waiting);
    // The progress card moves on (Verified ID callbacks, the Account Recovery watcher...): modelled as new versions.
    for (let i = 1; i <= 12; i++) await show({ ...waiting, version: waiting.version + i });
    const identity = `Case ${waiting.id}: identity check`;
    expect(writesOf(identity).map((w) => w.kind)).toEqual(['post']);
    expect(inputIdsOf(cardOf(writesOf(identity)[0]))).toEqual(['identityMethod', 'identityNote']);
    expect(writesOf(`Recovery of case ${waiting.id}`).filter((w) => w.kind === 'update').length).toBeGreaterThanOrEqual(12);
    // Megan asks for the fallback: her form is closed once; the approvers' form is posted.
    const asked = S.given(waiting, { type: 'requestFallback', by: S.MEGAN, method: 'Video call with manager', note: 'Manager on camera' });
    await show(asked, { ...asked, version: asked.version + 1 });
    expect(writesOf(identity).map((w) => w.kind)).toEqual(['post', 'update']);
    expect(buttonsOf(cardOf(writesOf(identity)[1]))).toEqual([]);
    const fallback = `Case ${waiting.id}: fallback approval`;
    expect(writesOf(fallback).map((w) => w.kind)).toEqual(['post']);
    // Nestor refuses: the fallback form says so, once; a new identity form (the next round) is posted.
    const refused = S.given(asked, { type: 'decideFallback', by: S.NESTOR, decision: 'deny', reason: 'Manager not reachable' });
    await show(refused, { ...refused, version: refused.version + 1 });
    expect(writesOf(fallback).map((w) => w.kind)).toEqual(['post', 'update']);
    expect(textsOf(cardOf(writesOf(fallback)[1])).join(' ')).toMatch(/refused by Nestor Wilke .*: Manager not reachable/);
    const identityPosts = world.poster().writes.filter((w) => w.kind === 'post' && textsOf(cardOf(w)).includes(identity));
    expect(identityPosts).toHaveLength(2);
    expect(verbsIn(cardOf(identityPosts[1]))).toEqual(['case.step.requestFallback']);
  });

  it('the close form: posted with the summary, untouched while validation edits the summary, closed once with the case', async () => {
    const c = S.validating();
    const entered = { ...c, validation: undefined };
    await show(entered);
    await show(c, { ...c, version: c.version + 1 });
    const close = `Case ${c.id}: close with lessons learned`;
    expect(writesOf(close).map((w) => w.kind)).toEqual(['post']);
    expect(inputIdsOf(cardOf(writesOf(close)[0]))).toEqual(['lessons']);
    expect(writesOf(`Summary of case ${c.id}`).filter((w) => w.kind === 'update').length).toBeGreaterThanOrEqual(2);
    const closed = S.given(c, { type: 'document', by: S.MEGAN, lessons: 'Move admins to PIM' });
    await show(closed, { ...closed, version: closed.version + 1 });
    expect(writesOf(close).map((w) => w.kind)).toEqual(['post', 'update']);
    expect(textsOf(cardOf(writesOf(close)[1])).join(' ')).toMatch(/Closed by Megan Bowen at/);
    expect(buttonsOf(cardOf(writesOf(close)[1]))).toEqual([]);
  });
});
