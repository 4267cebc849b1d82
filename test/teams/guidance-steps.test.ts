import type { RecoveryCase } from '../../src/domain/case';
import type { PlanStep } from '../../src/domain/plan';
import type { RunningSimulator } from '../../src/simulator';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { textsOf, verbsOf } from '../helpers/card-checks';
import { USERS } from '../helpers/demo-ids';
import { appToken } from '../helpers/simulator-token';
import { refusalOf } from '../helpers/invoke-answers';
import { buttonsOf } from '../views/card-queries';

/**
 * One test per step of Microsoft's "Authentication method recovery" guidance, each named after the step it covers
 * (scenario, step number and the guidance's own title), end to end through the real Application against the
 * simulated tenant. Every test starts from a fresh bot and a freshly seeded tenant.
 */

/** The bot's own app identity in the demo tenant (docs/demo-tenant.md): every write it makes is audited under it. */
const BOT_APP_ID = 'b07e0a11-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
const HR_APP_ID = '7d3e5f10-aaaa-4bbb-8ccc-0000000000e1';
const MOBILE_PHONE_ID = '3179e48a-750b-4051-897c-87b9720928f7';
const ADELE_AUTHENTICATOR_ID = 'a7c0de11-0004-4a1b-9c2d-000000000004';
const LEE_EMAIL_ID = 'e3a11000-0005-4c2b-9d1e-000000000005';
const CARD = 'application/vnd.microsoft.card.adaptive';

type Audit = RunningSimulator['tenant']['audits'][number];
type Click = Awaited<ReturnType<BotHarness['click']>>;

let bot: BotHarness;
beforeEach(async () => {
  bot = await BotHarness.start();
});
afterEach(async () => {
  await bot.stop();
});

// ---- Reading what people and the directory see ----------------------------------------------------------------

/** Every text in a card body, for assertions on what people see. */
function cardText(value: unknown): string {
  return repliesText([{ attachments: [{ contentType: CARD, content: value }] }]);
}

/** The latest version of a case's form message ("Case RC-…: identity check", "…: close with lessons learned"). */
function latestForm(c: RecoveryCase, what: string): unknown {
  const write = [...bot.poster.writes].reverse().find((w) => textsOf(w.activity.attachments?.[0]?.content).includes(`Case ${c.id}: ${what}`));
  return write?.activity.attachments?.[0]?.content;
}

/** The secret on the secret card: the one monospace TextRun. */
function secretOn(value: unknown): string | undefined {
  const walk = (node: unknown): string[] => {
    if (Array.isArray(node)) return node.flatMap(walk);
    if (node && typeof node === 'object') {
      const r = node as Record<string, unknown>;
      const own = r.type === 'TextRun' && r.fontType === 'Monospace' && typeof r.text === 'string' ? [r.text] : [];
      return [...own, ...Object.values(r).flatMap(walk)];
    }
    return [];
  };
  return walk(value)[0];
}

/** The latest version (posted or edited) of the case card whose heading starts with `heading`, e.g. "Recovery of case". */
function latestCard(heading: string, c: RecoveryCase): unknown {
  const write = [...bot.poster.writes].reverse().find((w) => cardText(w.activity.attachments?.[0]?.content).includes(`${heading} ${c.id}`));
  return write?.activity.attachments?.[0]?.content;
}

/** The message with a secret step's Reveal button ("Case RC-…: new password" or "…: Temporary Access Pass"). */
function revealMessage(c: RecoveryCase, what: 'new password' | 'Temporary Access Pass'): { content: unknown; edits: number } {
  const posts = bot.poster.writes.filter((w) => w.kind === 'post' && cardText(w.activity.attachments?.[0]?.content).includes(`Case ${c.id}: ${what}`));
  if (posts.length !== 1) throw new Error(`${posts.length} reveal messages for the ${what} of ${c.id}`);
  const post = posts[0]!;
  return {
    content: post.activity.attachments?.[0]?.content,
    edits: bot.poster.writes.filter((w) => w.kind === 'update' && w.activityId === post.activityId).length,
  };
}

const audits = (): Audit[] => bot.simulator.tenant.audits;
const appIdOf = (a: Audit): string | null | undefined => ('app' in a.initiatedBy ? a.initiatedBy.app.appId : undefined);
const appNameOf = (a: Audit): string | null | undefined => ('app' in a.initiatedBy ? a.initiatedBy.app.displayName : undefined);
const detailOf = (a: Audit, key: string): string | undefined => a.additionalDetails.find((d) => d.key === key)?.value;
/** Activity, initiating app and target of each record: what a reader of the audit log checks first. */
const summarise = (records: readonly Audit[]): [string, string | null | undefined, string | undefined][] =>
  records.map((a) => [a.activityDisplayName, appIdOf(a), a.targetResources[0]?.id]);

const methodsOf = (userId: string) => bot.simulator.tenant.methods.get(userId) ?? [];

/** A control endpoint of the simulator: a person's step outside the bot (docs in src/simulator/README.md). */
async function control(path: string, body: unknown = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${bot.simulator.url}/_simulator/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A Graph call to the simulated tenant, as an administrator's client would make it. */
async function graph(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: { value?: Record<string, unknown>[] } & Record<string, unknown> }> {
  const res = await fetch(`${bot.simulator.url}/v1.0${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${await appToken(bot.simulator.url)}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as { value?: Record<string, unknown>[] } & Record<string, unknown>) : {} };
}

/** Everything the bot wrote anywhere except the invoke responses to the clicker: the thread, logs, storage. */
async function everywhereButInvokeResponses(c: RecoveryCase): Promise<string> {
  const json = (value: unknown): string => JSON.stringify(value);
  const replacer = (_key: string, value: unknown): unknown => (value instanceof Map ? Object.fromEntries(value as Map<string, unknown>) : value);
  return [
    ...bot.poster.writes.map(json),
    ...bot.sent.filter((a) => a.type !== 'invokeResponse').map(json),
    ...bot.logs.map(json),
    json(await bot.storage.read([`cases/${c.id}`, ...(await bot.storage.keys(`threads/${c.id}/`))])),
    JSON.stringify(bot.simulator.tenant, replacer),
  ].join('\n');
}

const invokeResponsesWith = (secret: string): number => bot.sent.filter((a) => a.type === 'invokeResponse' && JSON.stringify(a).includes(secret)).length;

// ---- Driving a case --------------------------------------------------------------------------------------------

async function openAndTriage(upn: string): Promise<RecoveryCase> {
  const text = repliesText(await bot.send(`recover ${upn}`));
  const caseId = /Recovery case (RC-\d{8})/.exec(text)?.[1] ?? '';
  const stored = await bot.cases.get(caseId);
  if (!stored) throw new Error(`no case opened for ${upn}: ${text}`);
  return stored.value;
}
const current = async (caseId: string): Promise<RecoveryCase> => (await bot.cases.get(caseId))!.value;
const data = (c: RecoveryCase, extra: Record<string, unknown> = {}) => ({ caseId: c.id, version: c.version, ...extra });
const nextWaiting = (c: RecoveryCase): PlanStep | undefined => c.plan?.find((s) => c.steps?.[s.id]?.status !== 'done');
function stepOf<K extends PlanStep['kind']>(c: RecoveryCase, kind: K): Extract<PlanStep, { kind: K }> {
  const step = c.plan?.find((s): s is Extract<PlanStep, { kind: K }> => s.kind === kind);
  if (!step) throw new Error(`case ${c.id} has no ${kind} step: ${JSON.stringify(c.plan?.map((s) => s.kind))}`);
  return step;
}
/** Clicks a step's button on the current case and returns the answer and the case afterwards. */
async function onStep(
  caseId: string,
  verb: string,
  kind: PlanStep['kind'],
  extra: Record<string, unknown> = {},
  from = USERS.megan,
): Promise<{ answer: Click; c: RecoveryCase }> {
  const before = await current(caseId);
  const answer = await bot.click(verb, data(before, { stepId: stepOf(before, kind).id, ...extra }), { from });
  return { answer, c: await current(caseId) };
}

/** Opens, triages, confirms the scenario, asks for approval and has Alex approve; the automatic steps then run. */
async function approvedCase(
  upn: string,
  scenario: 'accidental' | 'malicious',
  options: { reason?: string; beforeApproval?: (c: RecoveryCase) => Promise<void> } = {},
): Promise<RecoveryCase> {
  let c = await openAndTriage(upn);
  const confirmed = await bot.click(Verb.confirmScenario, data(c, { scenario, ...(options.reason ? { reason: options.reason } : {}) }));
  expect(refusalOf(confirmed)).toBeUndefined();
  c = await current(c.id);
  expect(refusalOf(await bot.click(Verb.requestApproval, data(c)))).toBeUndefined();
  c = await current(c.id);
  expect(c.state).toBe('awaitingApproval');
  await options.beforeApproval?.(c);
  expect(refusalOf(await bot.click(Verb.approve, data(c, { comment: 'Checked the plan against the timeline' }), { from: USERS.alex }))).toBeUndefined();
  return current(c.id);
}

/** Adele, accidental, restored by a Backup Administrator and re-checked: the case then waits on identity verification. */
async function adeleRestored(): Promise<RecoveryCase> {
  const c = await approvedCase(USERS.adele.upn, 'accidental');
  expect((await control(`backup/users/${USERS.adele.id}/restore`)).status).toBe(200);
  const { c: after } = await onStep(c.id, Verb.confirmGuided, 'pointInTimeRestore');
  expect(nextWaiting(after)?.kind).toBe('verifyIdentity');
  return after;
}

/** Adele's recovery with the "as needed" steps marked not needed: the case is in validation. */
async function adeleInValidation(): Promise<RecoveryCase> {
  const c = await adeleRestored();
  for (const kind of ['verifyIdentity', 'resetPassword', 'issueTap'] as const) await onStep(c.id, Verb.skipStep, kind);
  const after = await current(c.id);
  expect(after.state).toBe('validating');
  expect(after.validation).toBeDefined();
  return after;
}

/** Lee, malicious, approved: steps 2 ran; the case waits on the identity verification. */
async function leeAfterStep2(options: { beforeApproval?: (c: RecoveryCase) => Promise<void> } = {}): Promise<RecoveryCase> {
  const c = await approvedCase(USERS.lee.upn, 'malicious', options);
  expect(nextWaiting(c)?.kind).toBe('verifyIdentity');
  return c;
}

async function verifyIdentity(
  caseId: string,
  identityMethod = 'Video call with manager',
  identityNote = 'Manager Lynne confirmed Lee on camera at 09:12',
): Promise<RecoveryCase> {
  // A malicious recovery takes a manual method only as the fallback one more approver accepts.
  if ((await current(caseId)).scenario?.value === 'malicious') return bot.identityByFallback(caseId, { method: identityMethod, note: identityNote });
  const { answer, c } = await onStep(caseId, Verb.recordIdentity, 'verifyIdentity', { identityMethod, identityNote });
  expect(refusalOf(answer)).toBeUndefined();
  return c;
}

// ---- The guidance, step by step --------------------------------------------------------------------------------

describe('Accidental changes or deletions', () => {
  it('accidental step 1 "Review audit logs": the timeline names the HR provisioning app\u2019s deletions of Adele\u2019s Authenticator and phone, and recommends accidental', async () => {
    const auditCount = audits().length;
    const c = await openAndTriage(USERS.adele.upn);

    expect(c.state).toBe('triaged');
    const removals = c.triage!.timeline.filter((t) => t.change === 'methodRemoved');
    expect(removals.map((t) => t.methodType)).toEqual(['microsoftAuthenticator', 'phone']);
    for (const t of removals) {
      expect(t).toMatchObject({
        activity: 'Admin deleted security info',
        result: 'success',
        actorTrust: 'automation',
        actor: { kind: 'app', appId: HR_APP_ID, displayName: 'Contoso HR Provisioning' },
      });
    }
    expect(c.triage?.timeline.filter((t) => t.actorTrust === 'unknown')).toEqual([]);
    expect(c.triage?.nothingChanged).toBe(false);
    expect(c.triage?.incidentStart).toBe(removals[0]?.at);
    expect(c.triage?.recommendation).toBe('accidental');
    expect(c.triage?.reasons).toEqual([
      '2 change(s) by known automation (app Contoso HR Provisioning).',
      'No unknown actor, off-hours change, quick re-registration or risky sign-in was found.',
    ]);
    // Reviewing the audit log changes nothing.
    expect(audits().length).toBe(auditCount);

    // The triage card in the thread shows the deletions, who made them, and the recommendation.
    const card = latestCard('Triage of case', c);
    const text = cardText(card);
    expect(text).toContain('Admin deleted security info (Microsoft Authenticator)');
    expect(text).toContain('Admin deleted security info (Phone (SMS or voice))');
    expect(text).toContain('app Contoso HR Provisioning');
    expect(text).toContain('Accidental');
    expect(text).toContain('2 change(s) by known automation (app Contoso HR Provisioning).');
    expect(verbsOf(card)).toContain(Verb.confirmScenario);
  });

  it('accidental step 2 "Recover the user to a previous state": a soft-deleted user (Diego) is restored through deletedItems restore', async () => {
    const diego = USERS.diego;
    let c = await openAndTriage(diego.upn);
    expect(c.intake.account.kind).toBe('softDeleted');
    await bot.click(Verb.confirmScenario, data(c, { scenario: 'accidental', reason: 'Grady deleted the wrong account; HR confirmed Diego is employed' }));
    c = await current(c.id);
    expect(c.plan?.map((s) => s.kind)).toEqual(['restoreUser', 'checkMethods', 'verifyIdentity', 'resetPassword', 'issueTap']);
    expect(stepOf(c, 'restoreUser').request).toEqual({ method: 'POST', path: `/directory/deletedItems/${diego.id}/restore`, version: 'v1.0' });
    await bot.click(Verb.requestApproval, data(c));
    c = await current(c.id);
    // Nothing happens before the approval.
    expect(bot.simulator.tenant.deletedUsers.has(diego.id)).toBe(true);
    expect(bot.simulator.tenant.users.has(diego.id)).toBe(false);

    // A soft-deleted target is privileged (its memberships can't be read until it is restored): the privileged approvers decide.
    const auditCount = audits().length;
    await bot.click(Verb.approve, data(c), { from: USERS.patti });
    await bot.click(Verb.approve, data(await current(c.id)), { from: USERS.nestor });
    c = await current(c.id);

    expect(bot.simulator.tenant.deletedUsers.has(diego.id)).toBe(false);
    expect(bot.simulator.tenant.users.get(diego.id)?.userPrincipalName).toBe('diego@contoso.com');
    // The restore brings back the user with its methods (kept while soft-deleted).
    expect(
      methodsOf(diego.id)
        .map((m) => m.type)
        .sort(),
    ).toEqual(['microsoftAuthenticator', 'password', 'phone', 'windowsHelloForBusiness']);
    expect(summarise(audits().slice(auditCount))).toEqual([['Restore user', BOT_APP_ID, diego.id]]);
    const run = c.steps?.[stepOf(c, 'restoreUser').id];
    expect(run).toMatchObject({ status: 'done', detail: 'User restored from deleted users.' });
    expect(run?.requestIds).toHaveLength(1);
    // Step 3 (check) ran on its own; the case now waits for a person.
    expect(c.steps?.[stepOf(c, 'checkMethods').id]?.status).toBe('done');
    expect(c.state).toBe('executing');
    expect(nextWaiting(c)?.kind).toBe('verifyIdentity');
    expect(cardText(latestCard('Recovery of case', c))).toContain('User restored from deleted users.');
  });

  it('accidental step 2 "Recover the user to a previous state": a present user (Adele) is restored with the guided Backup and Recovery step, refused until the restore is done', async () => {
    const adele = USERS.adele;
    const approved = await approvedCase(adele.upn, 'accidental');
    const restore = stepOf(approved, 'pointInTimeRestore');
    expect(restore).toMatchObject({ guided: true, before: approved.triage?.incidentStart });
    expect(nextWaiting(approved)?.id).toBe(restore.id);
    expect(approved.steps?.[restore.id]?.status).toBe('waiting');
    expect(approved.steps?.[restore.id]?.detail).toMatch(/A Backup Administrator restores adele@contoso\.com in the Entra admin center: Backup and Recovery/);
    const progress = latestCard('Recovery of case', approved);
    expect(verbsOf(progress)).toContain(Verb.confirmGuided);

    // The agent says it is done before it is: the bot re-checks the directory and records nothing.
    const auditCount = audits().length;
    const tooEarly = await bot.click(Verb.confirmGuided, data(approved, { stepId: restore.id }));
    expect(String(refusalOf(tooEarly))).toMatch(
      /^Re-checked, not done yet: .*Still missing: microsoftAuthenticator, phone\. Nothing was recorded; click again when it is done\./,
    );
    let c = await current(approved.id);
    expect(c.version).toBe(approved.version);
    expect(c.steps?.[restore.id]?.status).toBe('waiting');
    expect(audits().length).toBe(auditCount);
    expect(methodsOf(adele.id).some((m) => m.id === ADELE_AUTHENTICATOR_ID)).toBe(false);

    // A Backup Administrator restores Adele from the last daily backup before the change.
    const restored = await control(`backup/users/${adele.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.restored).toEqual(expect.arrayContaining([ADELE_AUTHENTICATOR_ID, MOBILE_PHONE_ID]));
    const job = audits().slice(auditCount);
    expect(job.map((a) => [a.activityDisplayName, appNameOf(a)])).toEqual([['Update user', 'Microsoft Entra Backup and Recovery']]);

    const afterRestore = audits().length;
    const confirmed = await bot.click(Verb.confirmGuided, data(c, { stepId: restore.id }));
    expect(refusalOf(confirmed)).toBeUndefined();
    c = await current(c.id);
    expect(c.steps?.[restore.id]?.status).toBe('done');
    expect(c.steps?.[restore.id]?.detail).toMatch(/^Confirmed by Megan Bowen, re-checked: .*Every removed method type is back\.$/);
    expect(methodsOf(adele.id).map((m) => m.id)).toEqual(expect.arrayContaining([ADELE_AUTHENTICATOR_ID, MOBILE_PHONE_ID]));
    // The bot itself wrote nothing: the restore is the Backup Administrator's (its jobs are delegated-only).
    expect(audits().length).toBe(afterRestore);
    expect(nextWaiting(c)?.kind).toBe('verifyIdentity');
  });

  it('accidental step 2 "Recover the user to a previous state": a hard-deleted user (Isaiah) is recreated with a new object id and the same UPN', async () => {
    const isaiah = USERS.isaiah;
    let c = await openAndTriage(isaiah.upn);
    expect(c.intake.account.kind).toBe('hardDeleted');
    await bot.click(Verb.confirmScenario, data(c, { scenario: 'accidental', reason: 'Offboarding script hit the wrong user; HR confirmed' }));
    c = await current(c.id);
    const recreate = stepOf(c, 'recreateUser');
    expect(c.plan?.[0]?.id).toBe(recreate.id);
    expect(recreate.prefill).toMatchObject({ displayName: 'Isaiah Langer', userPrincipalName: 'isaiah@contoso.com', mailNickname: 'isaiah' });
    await bot.click(Verb.requestApproval, data(c));
    c = await current(c.id);

    const auditCount = audits().length;
    await bot.click(Verb.approve, data(c), { from: USERS.alex });
    c = await current(c.id);

    const newId = c.recreatedUserId;
    expect(newId).toBeDefined();
    expect(newId).not.toBe(isaiah.id);
    expect(bot.simulator.tenant.users.has(isaiah.id)).toBe(false);
    expect(bot.simulator.tenant.users.get(newId!)).toMatchObject({
      userPrincipalName: 'isaiah@contoso.com',
      displayName: 'Isaiah Langer',
      accountEnabled: true,
    });
    // A recreated user has no method but the (unseen) initial password: all must be registered anew.
    expect(methodsOf(newId!).map((m) => m.type)).toEqual(['password']);
    expect(summarise(audits().slice(auditCount))).toEqual([['Add user', BOT_APP_ID, newId]]);
    expect(c.steps?.[recreate.id]).toMatchObject({ status: 'done', detail: `User recreated with object id ${newId}; it has no authentication methods.` });
    expect(nextWaiting(c)?.kind).toBe('verifyIdentity');
    expect(cardText(latestCard('Recovery of case', c))).toContain(`User recreated with object id ${newId}`);
  });

  it('accidental step 3 "Validate recovered authentication methods": the check step compares the methods with the usability table; password and TAP never count as recovered', async () => {
    const adele = USERS.adele;
    const approved = await approvedCase(adele.upn, 'accidental');
    expect((await control(`backup/users/${adele.id}/restore`)).status).toBe(200);
    // A Temporary Access Pass issued earlier while Adele was locked out (Graph, outside the bot).
    const tap = await graph(`/users/${adele.id}/authentication/temporaryAccessPassMethods`, {
      method: 'POST',
      body: { lifetimeInMinutes: 60, isUsableOnce: true },
    });
    expect(tap.status).toBe(201);

    const check = stepOf(approved, 'checkMethods');
    expect(check.request).toEqual({ method: 'GET', path: `/users/${adele.id}/authentication/methods`, version: 'v1.0' });
    expect(approved.steps?.[check.id]?.status).toBe('pending');
    const auditCount = audits().length;
    await onStep(approved.id, Verb.confirmGuided, 'pointInTimeRestore');
    const c = await current(approved.id);

    // In the accidental playbook the check runs on its own right after the restore.
    const run = c.steps?.[check.id];
    expect(run?.status).toBe('done');
    const detail = run?.detail ?? '';
    const usable = /^Usable now: (.*?)\. Not usable after a restore/.exec(detail)?.[1] ?? '';
    for (const type of ['microsoftAuthenticator', 'phone', 'fido2', 'email']) expect(usable).toContain(`${type} (`);
    expect(usable).not.toMatch(/password|temporaryAccessPass/);
    const notUsable = /Not usable after a restore \(per the guidance\): (.*?)\. (Every|Still)/.exec(detail)?.[1] ?? '';
    expect(notUsable).toMatch(/^(password|temporaryAccessPass) \(.*\), (password|temporaryAccessPass) \(.*\)$/);
    expect(notUsable).toContain('password (');
    expect(notUsable).toContain('temporaryAccessPass (');
    expect(detail).toMatch(/Every removed method type is back\.$/);
    // The check only reads (GET /users/{id}/authentication/methods).
    expect(audits().length).toBe(auditCount);
    expect(cardText(latestCard('Recovery of case', c))).toContain('Every removed method type is back.');
  });

  it('accidental step 4 "Set a new password or issue a TAP (as needed)": the new password is revealed only to the requester, and the user must change it at next sign-in', async () => {
    const adele = USERS.adele;
    const restored = await adeleRestored();
    let c = await verifyIdentity(restored.id, 'In person with photo ID', 'At the service desk, badge 4711');
    const step = stepOf(c, 'resetPassword');
    expect(nextWaiting(c)?.id).toBe(step.id);
    expect(verbsOf(latestCard('Recovery of case', c))).toEqual([Verb.skipStep]);
    expect(verbsOf(revealMessage(c, 'new password').content)).toEqual([Verb.revealPassword]);
    expect(bot.simulator.tenant.users.get(adele.id)?.passwordReset).toBeNull();

    // Another helpdesk agent cannot reveal it.
    const auditCount = audits().length;
    const other = await bot.click(Verb.revealPassword, data(c, { stepId: step.id }), { from: USERS.grady });
    expect(String(refusalOf(other))).toMatch(/^Only Megan Bowen, who opened case RC-\d{8}, can do this\. \(CASE\.NOT_REQUESTER\)$/);
    expect(bot.simulator.tenant.users.get(adele.id)?.passwordReset).toBeNull();
    expect(audits().length).toBe(auditCount);

    const reveal = await bot.click(Verb.revealPassword, data(c, { stepId: step.id }));
    expect(refusalOf(reveal)).toBeUndefined();
    const password = secretOn(reveal.value);
    expect(password).toMatch(/^\S{12,}$/);
    expect(cardText(reveal.value)).toContain('They must change it at their next sign-in.');
    expect(bot.simulator.tenant.users.get(adele.id)?.passwordReset).toMatchObject({
      forceChangePasswordNextSignIn: true,
      forceChangePasswordNextSignInWithMfa: false,
    });
    const written = audits().slice(auditCount);
    expect(summarise(written)).toEqual([
      ['Reset password', BOT_APP_ID, adele.id],
      ['Set force change user password', BOT_APP_ID, adele.id],
    ]);
    expect(written[1]?.targetResources[0]?.modifiedProperties).toEqual(
      expect.arrayContaining([{ displayName: 'ForceChangePasswordNextSignIn', oldValue: null, newValue: 'true' }]),
    );
    c = await current(c.id);
    expect(c.steps?.[step.id]).toMatchObject({
      status: 'done',
      detail: 'New password set; the user must change it at next sign-in. Shown once to the requesting agent.',
    });

    // Only Megan's invoke response carried it: not the thread, the logs, the case store or the directory.
    expect(invokeResponsesWith(password!)).toBe(1);
    expect(await everywhereButInvokeResponses(c)).not.toContain(password!);
    // It was not kept, so it cannot be shown again.
    expect(String(refusalOf(await bot.click(Verb.revealPassword, data(c, { stepId: step.id }))))).toMatch(/That action is not available now/);
  });

  it('accidental step 4 "Set a new password or issue a TAP (as needed)": the TAP can be marked Not needed, and then no TAP exists', async () => {
    const adele = USERS.adele;
    const restored = await adeleRestored();
    await verifyIdentity(restored.id, 'In person with photo ID', 'At the service desk, badge 4711');
    const { answer: revealed } = await onStep(restored.id, Verb.revealPassword, 'resetPassword');
    expect(refusalOf(revealed)).toBeUndefined();
    // The answer is the secret alone; it replaces the password's reveal message in the agent's view, and the bot does not
    // edit that message while the case runs, so the value stays. The next buttons are on the progress card and the
    // TAP's own reveal message.
    expect(verbsOf(revealed.value)).toEqual([]);
    expect(cardText(revealed.value)).toContain('Temporary password');
    let c = await current(restored.id);
    expect(revealMessage(c, 'new password').edits).toBe(0);
    const step = stepOf(c, 'issueTap');
    expect(nextWaiting(c)?.id).toBe(step.id);
    expect(verbsOf(latestCard('Recovery of case', c))).toEqual([Verb.skipStep]);
    expect(verbsOf(revealMessage(c, 'Temporary Access Pass').content)).toEqual([Verb.revealTap]);

    const auditCount = audits().length;
    const skipped = await bot.click(Verb.skipStep, data(c, { stepId: step.id }));
    expect(refusalOf(skipped)).toBeUndefined();
    c = await current(c.id);
    expect(c.steps?.[step.id]).toMatchObject({ status: 'done', detail: 'Not needed (Megan Bowen)' });
    expect(c.state).toBe('validating');
    expect(methodsOf(adele.id).some((m) => m.type === 'temporaryAccessPass')).toBe(false);
    const taps = await graph(`/users/${adele.id}/authentication/temporaryAccessPassMethods`);
    expect(taps.status).toBe(200);
    expect(taps.body.value).toEqual([]);
    expect(audits().length).toBe(auditCount);
    // Once marked not needed, no pass can be issued from this case.
    expect(String(refusalOf(await bot.click(Verb.revealTap, data(c, { stepId: step.id, tapLifetime: '60', tapOneTime: 'true' }))))).toMatch(
      /That action is not available now/,
    );
    expect(methodsOf(adele.id).some((m) => m.type === 'temporaryAccessPass')).toBe(false);
  });
});

describe('Malicious changes or deletions', () => {
  it('malicious step 1 "Confirm malicious activity": Lee\u2019s audit records show Ravi Sharma, off-hours changes, a quick re-registration and a risky sign-in', async () => {
    const auditCount = audits().length;
    const c = await openAndTriage(USERS.lee.upn);

    expect(c.state).toBe('triaged');
    expect(c.triage?.recommendation).toBe('malicious');
    expect(c.triage?.nothingChanged).toBe(false);
    const ravi = c.triage!.timeline.filter((t) => t.actor.kind === 'user' && t.actor.displayName === 'Ravi Sharma');
    expect(ravi.map((t) => t.activity)).toEqual([
      'Admin deleted security info',
      'Admin deleted security info',
      'Admin registered security info',
      'Admin updated security info',
    ]);
    expect(ravi.slice(0, 3).map((t) => [t.change, t.methodType])).toEqual([
      ['methodRemoved', 'microsoftAuthenticator'],
      ['methodRemoved', 'fido2'],
      ['methodAdded', 'phone'],
    ]);
    for (const t of ravi) expect(t).toMatchObject({ actorTrust: 'unknown', outsideWorkingHours: true, actor: { ipAddress: '185.220.101.47' } });
    const reasons = c.triage!.reasons;
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Ravi Sharma \(ravi\.admin@contoso\.com\) \(from 185\.220\.101\.47\) is neither a known automation identity nor a helpdesk member, and made 4 changes/,
        ),
        expect.stringMatching(/^4 changes happened outside working hours \(\d{4}-\d\d-\d\d 02:14 UTC to \d{4}-\d\d-\d\d 02:19 UTC\)\.$/),
        expect.stringMatching(
          /^A method was added at \d{4}-\d\d-\d\d 02:19 UTC, within 60 minutes of a removal at \d{4}-\d\d-\d\d 02:14 UTC: the pattern of an account takeover\.$/,
        ),
        expect.stringMatching(/^A high-risk sign-in at \d{4}-\d\d-\d\d 02:21 UTC from 185\.220\.101\.47\.$/),
      ]),
    );
    expect(audits().length).toBe(auditCount);

    const card = latestCard('Triage of case', c);
    const text = cardText(card);
    expect(text).toContain('Malicious');
    expect(text).toContain('Ravi Sharma (ravi.admin@contoso.com), from 185.220.101.47');
    expect(text).toContain('outside working hours, unknown actor');
  });

  it('malicious step 1 "Confirm malicious activity": when nothing changed (Johanna) the cause is unclear, and the default is malicious', async () => {
    const c = await openAndTriage(USERS.johanna.upn);
    expect(c.triage?.nothingChanged).toBe(true);
    expect(c.triage?.recommendation).toBe('malicious');
    expect(c.triage?.reasons).toEqual([expect.stringMatching(/the cause is unclear, and the guidance says to treat an unclear cause as malicious\.$/)]);
    const text = cardText(latestCard('Triage of case', c));
    expect(text).toMatch(/No change/);
    expect(text).toContain('Malicious');
    // Choosing accidental against the default needs a reason, for the record.
    const override = await bot.click(Verb.confirmScenario, data(c, { scenario: 'accidental' }));
    expect(String(refusalOf(override))).toMatch(/Choosing accidental against the malicious recommendation needs a reason/);
    expect((await current(c.id)).state).toBe('triaged');
  });

  it('malicious step 2 "Remove all existing authentication methods": every method but the password is removed (the default last), sessions are revoked, and each removal is audited as the bot', async () => {
    const lee = USERS.lee;
    expect(
      methodsOf(lee.id)
        .map((m) => m.type)
        .sort(),
    ).toEqual(['email', 'password', 'phone']);
    expect(bot.simulator.tenant.users.get(lee.id)?.userPreferredMethodForSecondaryAuthentication).toBe('sms');
    const sessionsBefore = bot.simulator.tenant.users.get(lee.id)?.signInSessionsValidFromDateTime;
    let auditCount = 0;
    const c = await leeAfterStep2({
      beforeApproval: (pending) => {
        // The plan the approvers see: both deletions, the default method (SMS on the mobile phone) last.
        expect(stepOf(pending, 'removeAllMethods').preview.map((r) => `${r.method} ${r.path}`)).toEqual([
          `DELETE /users/${lee.id}/authentication/emailMethods/${LEE_EMAIL_ID}`,
          `DELETE /users/${lee.id}/authentication/phoneMethods/${MOBILE_PHONE_ID}`,
        ]);
        auditCount = audits().length;
        return Promise.resolve();
      },
    });

    expect(methodsOf(lee.id).map((m) => m.type)).toEqual(['password']);
    expect(bot.simulator.tenant.users.get(lee.id)?.userPreferredMethodForSecondaryAuthentication).toBe('none');
    const sessionsAfter = bot.simulator.tenant.users.get(lee.id)?.signInSessionsValidFromDateTime ?? '';
    expect(Date.parse(sessionsAfter)).toBeGreaterThan(Date.parse(sessionsBefore ?? ''));
    const written = audits().slice(auditCount);
    expect(summarise(written)).toEqual([
      ['Admin deleted security info', BOT_APP_ID, lee.id],
      ['Admin deleted security info', BOT_APP_ID, lee.id],
      ['Update StsRefreshTokenValidFrom Timestamp', BOT_APP_ID, lee.id],
    ]);
    expect(written.slice(0, 2).map((a) => detailOf(a, 'MethodId'))).toEqual([LEE_EMAIL_ID, MOBILE_PHONE_ID]);

    const remove = stepOf(c, 'removeAllMethods');
    expect(c.steps?.[remove.id]?.status).toBe('done');
    expect(c.steps?.[remove.id]?.detail).toMatch(
      /^Removed 2 method\(s\): email \(.*\), phone \(.*\)\. The password cannot be deleted; it is reset in a later step\.$/,
    );
    expect(c.steps?.[remove.id]?.requestIds).toHaveLength(2);
    expect(c.steps?.[stepOf(c, 'revokeSessions').id]).toMatchObject({
      status: 'done',
      detail: 'Sign-in sessions revoked; existing tokens stop working within minutes.',
    });
    const progress = cardText(latestCard('Recovery of case', c));
    expect(progress).toContain('Removed 2 method(s)');
    expect(progress).toContain('Sign-in sessions revoked');
  });

  it('malicious step 2 "Remove all existing authentication methods": a method registered after approval was requested, before execution, is removed too', async () => {
    const lee = USERS.lee;
    let addedId = '';
    let auditCount = 0;
    const c = await leeAfterStep2({
      beforeApproval: async (pending) => {
        expect(stepOf(pending, 'removeAllMethods').preview).toHaveLength(2);
        const added = await control(`users/${lee.id}/register-method`, { type: 'fido2', displayName: 'Unknown YubiKey' });
        expect(added.status).toBe(201);
        addedId = String(added.body.id);
        expect(methodsOf(lee.id).some((m) => m.id === addedId)).toBe(true);
        auditCount = audits().length;
      },
    });

    expect(methodsOf(lee.id).map((m) => m.type)).toEqual(['password']);
    const deletions = audits()
      .slice(auditCount)
      .filter((a) => a.activityDisplayName === 'Admin deleted security info');
    expect(deletions.map(appIdOf)).toEqual([BOT_APP_ID, BOT_APP_ID, BOT_APP_ID]);
    expect(deletions.map((a) => detailOf(a, 'MethodId')).sort()).toEqual([LEE_EMAIL_ID, MOBILE_PHONE_ID, addedId].sort());
    // The default method (the mobile phone) still goes last.
    expect(detailOf(deletions[2]!, 'MethodId')).toBe(MOBILE_PHONE_ID);
    const remove = stepOf(c, 'removeAllMethods');
    expect(c.steps?.[remove.id]?.detail).toMatch(/^Removed 3 method\(s\): .*fido2 \(/);
  });

  it('malicious step 3 "Set a new password for the user": only after the identity verification; the change is forced at next sign-in and the value appears only in the invoke response', async () => {
    const lee = USERS.lee;
    let c = await leeAfterStep2();
    const step = stepOf(c, 'resetPassword');

    // Before the identity is verified: refused, nothing written.
    const auditCount = audits().length;
    const early = await bot.click(Verb.revealPassword, data(c, { stepId: step.id }));
    expect(String(refusalOf(early))).toMatch(/^That action is not available now: case RC-\d{8} is \w+, next step "Record how the caller/);
    expect(bot.simulator.tenant.users.get(lee.id)?.passwordReset).toBeNull();
    expect(audits().length).toBe(auditCount);
    // The identity check is a form message of its own; nothing reveals yet.
    expect(verbsOf(latestForm(c, 'identity check'))).toContain(Verb.requestFallback);
    expect(verbsOf(latestCard('Recovery of case', c))).not.toContain(Verb.revealPassword);

    c = await verifyIdentity(c.id);
    expect(nextWaiting(c)?.id).toBe(step.id);
    expect(verbsOf(revealMessage(c, 'new password').content)).toEqual([Verb.revealPassword]);
    expect(verbsOf(latestCard('Recovery of case', c))).toEqual([]);
    // Every step of the malicious playbook is required.
    expect(String(refusalOf(await bot.click(Verb.skipStep, data(c, { stepId: step.id }))))).toMatch(/In a malicious recovery every step is required\./);

    const reveal = await bot.click(Verb.revealPassword, data(c, { stepId: step.id }));
    const password = secretOn(reveal.value);
    expect(password).toMatch(/^\S{12,}$/);
    expect(bot.simulator.tenant.users.get(lee.id)?.passwordReset).toMatchObject({ forceChangePasswordNextSignIn: true });
    expect(summarise(audits().slice(auditCount))).toEqual([
      ['Reset password', BOT_APP_ID, lee.id],
      ['Set force change user password', BOT_APP_ID, lee.id],
    ]);
    c = await current(c.id);
    expect(c.steps?.[step.id]?.status).toBe('done');
    expect(nextWaiting(c)?.kind).toBe('issueTap');
    expect(invokeResponsesWith(password!)).toBe(1);
    expect(await everywhereButInvokeResponses(c)).not.toContain(password!);
  });

  it('malicious step 4 "Re-register new authentication methods": a manual identity check is only a fallback, with its evidence, that one more approver accepts', async () => {
    let c = await leeAfterStep2();
    const step = stepOf(c, 'verifyIdentity');
    const card = latestForm(c, 'identity check');
    expect(verbsOf(card)).toContain(Verb.requestFallback);
    expect(verbsOf(card)).not.toContain(Verb.recordIdentity);
    for (const method of ['Video call with manager', 'In person with photo ID', 'Call back on the number in HR records'])
      expect(cardText(card)).toContain(method);

    const unknown = await bot.click(Verb.requestFallback, data(c, { stepId: step.id, identityMethod: 'Phone call', identityNote: 'He sounded like Lee' }));
    expect(String(refusalOf(unknown))).toBe(
      'Choose one of: Video call with manager, In person with photo ID, Call back on the number in HR records. (INPUT.MALFORMED)',
    );
    const noNote = await bot.click(Verb.requestFallback, data(c, { stepId: step.id, identityMethod: 'Video call with manager', identityNote: '   ' }));
    expect(String(refusalOf(noNote))).toMatch(/add the evidence/);
    const manual = await bot.click(Verb.recordIdentity, data(c, { stepId: step.id, identityMethod: 'Video call with manager', identityNote: 'Trust me' }));
    expect(String(refusalOf(manual))).toMatch(/VERIFICATION\.REQUIRED/);
    c = await current(c.id);
    expect(c.identityVerification).toBeUndefined();
    expect(c.steps?.[step.id]?.status).toBe('waiting');

    c = await verifyIdentity(c.id, 'Video call with manager', 'Manager Lynne confirmed Lee on camera at 09:12');
    expect(c.identityVerification).toMatchObject({
      method: 'Video call with manager',
      note: 'Manager Lynne confirmed Lee on camera at 09:12',
      kind: 'fallback',
      by: { aadObjectId: USERS.megan.id, name: 'Megan Bowen' },
      approvedBy: { aadObjectId: USERS.patti.id, name: 'Patti Fernandez' },
    });
    expect(c.steps?.[step.id]).toMatchObject({ status: 'done', detail: expect.stringContaining('Fallback without Verified ID: Video call with manager') });
    expect(nextWaiting(c)?.kind).toBe('resetPassword');
  });

  it('malicious step 4 "Re-register new authentication methods": one Temporary Access Pass is issued within the tenant\u2019s TAP policy and appears in /authentication/methods', async () => {
    const lee = USERS.lee;
    let c = await verifyIdentity((await leeAfterStep2()).id);
    await onStep(c.id, Verb.revealPassword, 'resetPassword');
    c = await current(c.id);
    const step = stepOf(c, 'issueTap');
    expect(nextWaiting(c)?.id).toBe(step.id);
    expect(String(refusalOf(await bot.click(Verb.skipStep, data(c, { stepId: step.id }))))).toMatch(/In a malicious recovery every step is required\./);

    // Outside the tenant's policy (60 to 480 minutes): refused before Graph is called, no pass exists; the step stops
    // with the reason and the agent retries it.
    const auditCount = audits().length;
    const outside = await bot.click(Verb.revealTap, data(c, { stepId: step.id, tapLifetime: '30', tapOneTime: 'true' }));
    expect(String(refusalOf(outside))).toBe('The TAP lifetime must be between 60 and 480 minutes (tenant policy). Nothing was changed. (INPUT.MALFORMED)');
    expect(methodsOf(lee.id).some((m) => m.type === 'temporaryAccessPass')).toBe(false);
    expect(audits().length).toBe(auditCount);
    // A refused lifetime changes nothing: the step still waits for a valid one.
    c = await current(c.id);
    expect(c.state).toBe('executing');
    expect(c.steps?.[step.id]?.status).toBe('waiting');

    const reveal = await bot.click(Verb.revealTap, data(c, { stepId: step.id, tapLifetime: '120', tapOneTime: 'true' }));
    expect(refusalOf(reveal)).toBeUndefined();
    const pass = secretOn(reveal.value);
    const policy = bot.simulator.tenant.authenticationMethodsPolicy.temporaryAccessPass;
    expect(pass).toHaveLength(policy.defaultLength);
    expect(cardText(reveal.value)).toContain('Usable once.');

    const taps = methodsOf(lee.id).filter((m) => m.type === 'temporaryAccessPass');
    expect(taps).toHaveLength(1);
    expect(taps[0]).toMatchObject({ lifetimeInMinutes: 120, isUsableOnce: true });
    expect(policy.minimumLifetimeInMinutes).toBeLessThanOrEqual(120);
    expect(policy.maximumLifetimeInMinutes).toBeGreaterThanOrEqual(120);
    const written = audits().slice(auditCount);
    expect(summarise(written)).toEqual([['Admin registered security info', BOT_APP_ID, lee.id]]);
    expect([detailOf(written[0]!, 'MethodType'), detailOf(written[0]!, 'LifetimeInMinutes'), detailOf(written[0]!, 'IsUsableOnce')]).toEqual([
      'temporaryAccessPass',
      '120',
      'true',
    ]);

    // Graph lists it among the user's methods (never with the pass itself).
    const listed = await graph(`/users/${lee.id}/authentication/methods`);
    expect(listed.status).toBe(200);
    const tapListed = listed.body.value?.filter((m) => m['@odata.type'] === '#microsoft.graph.temporaryAccessPassAuthenticationMethod') ?? [];
    expect(tapListed).toHaveLength(1);
    expect(tapListed[0]).toMatchObject({ id: taps[0]!.id, lifetimeInMinutes: 120, isUsableOnce: true });
    expect(JSON.stringify(listed.body)).not.toContain(pass!);

    c = await current(c.id);
    expect(c.steps?.[step.id]?.status).toBe('done');
    expect(c.steps?.[step.id]?.detail).toMatch(
      /^TAP issued \(one-time, 120 min\), expires at \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Shown once to the requesting agent\.$/,
    );
    expect(invokeResponsesWith(pass!)).toBe(1);
    expect(await everywhereButInvokeResponses(c)).not.toContain(pass!);
    // Issued once: a second click issues no other pass.
    expect(String(refusalOf(await bot.click(Verb.revealTap, data(c, { stepId: step.id, tapLifetime: '120', tapOneTime: 'true' }))))).toMatch(
      /That action is not available now/,
    );
    expect(audits().length).toBe(auditCount + 1);
    expect(
      methodsOf(lee.id)
        .filter((m) => m.type === 'temporaryAccessPass')
        .map((m) => m.id),
    ).toEqual([taps[0]!.id]);
    // The pass works for the user's first sign-in.
    const signIn = await control(`users/${lee.id}/sign-in`, { method: 'temporaryAccessPass', temporaryAccessPass: pass });
    expect(signIn.status).toBe(201);
    expect(signIn.body.status).toMatchObject({ errorCode: 0 });
  });

  it('malicious step 4 "Re-register new authentication methods": confirming the new methods is refused until the user registers one, then the step is done', async () => {
    const lee = USERS.lee;
    let c = await verifyIdentity((await leeAfterStep2()).id);
    await onStep(c.id, Verb.revealPassword, 'resetPassword');
    await onStep(c.id, Verb.revealTap, 'issueTap', { tapLifetime: '60', tapOneTime: 'true' });
    c = await current(c.id);
    const step = stepOf(c, 'checkMethods');
    expect(nextWaiting(c)?.id).toBe(step.id);
    expect(c.steps?.[step.id]).toMatchObject({
      status: 'waiting',
      detail: 'Ask the user to sign in with the TAP and register a phishing-resistant method, then click "I did it, re-check".',
    });
    expect(verbsOf(latestCard('Recovery of case', c))).toContain(Verb.confirmGuided);

    // Only the TAP (and the password) exist: they are not new methods.
    const tooEarly = await bot.click(Verb.confirmGuided, data(c, { stepId: step.id }));
    expect(String(refusalOf(tooEarly))).toBe(
      'Re-checked, not done yet: No new method is registered yet. Nothing was recorded; click again when it is done. (STEP.OUT_OF_ORDER)',
    );
    let after = await current(c.id);
    expect(after.version).toBe(c.version);
    expect(after.state).toBe('executing');

    const registered = await control(`users/${lee.id}/register-method`, { type: 'fido2', displayName: 'Lee\u2019s new YubiKey 5C' });
    expect(registered.status).toBe(201);
    const listed = await graph(`/users/${lee.id}/authentication/methods`);
    expect(listed.body.value?.some((m) => m.id === registered.body.id && m['@odata.type'] === '#microsoft.graph.fido2AuthenticationMethod')).toBe(true);

    const confirmed = await bot.click(Verb.confirmGuided, data(c, { stepId: step.id }));
    expect(refusalOf(confirmed)).toBeUndefined();
    after = await current(c.id);
    expect(after.steps?.[step.id]?.status).toBe('done');
    expect(after.steps?.[step.id]?.detail).toMatch(/^Confirmed by Megan Bowen, re-checked: New methods registered: fido2 \(.*YubiKey 5C.*\)\.$/);
    expect(after.state).toBe('validating');
  });
});

describe('Post-recovery validation', () => {
  it('post-recovery validation 1 "Have the user perform a test sign-in": pending until the user signs in after the recovery, then passes on Re-check', async () => {
    const adele = USERS.adele;
    let c = await adeleInValidation();
    const signIn = (v: RecoveryCase) => v.validation?.find((k) => k.name === 'Test sign-in');
    expect(signIn(c)).toEqual({
      name: 'Test sign-in',
      outcome: 'pending',
      detail: 'No successful sign-in by the user since the recovery was completed. Ask the user to sign in with the new or restored methods, then Re-check.',
    });
    expect(verbsOf(latestCard('Summary of case', c))).toEqual([Verb.recheck]);
    expect(verbsOf(latestForm(c, 'close with lessons learned'))).toEqual([Verb.close]);

    // A failed attempt does not count.
    const failed = await control(`users/${adele.id}/sign-in`, { method: 'microsoftAuthenticator', success: false });
    expect(failed.status).toBe(201);
    await bot.click(Verb.recheck, data(c));
    c = await current(c.id);
    expect(signIn(c)?.outcome).toBe('pending');

    const ok = await control(`users/${adele.id}/sign-in`, { method: 'microsoftAuthenticator', appDisplayName: 'Microsoft Teams' });
    expect(ok.status).toBe(201);
    expect(ok.body.status).toMatchObject({ errorCode: 0 });
    // Only the requester, who talks to the user, re-checks.
    expect(String(refusalOf(await bot.click(Verb.recheck, data(c), { from: USERS.grady })))).toMatch(/CASE\.NOT_REQUESTER/);
    expect(signIn(await current(c.id))?.outcome).toBe('pending');
    const rechecked = await bot.click(Verb.recheck, data(c));
    expect(refusalOf(rechecked)).toBeUndefined();
    c = await current(c.id);
    expect(signIn(c)?.outcome).toBe('pass');
    expect(signIn(c)?.detail).toMatch(/^Successful sign-in at \d{4}-\d\d-\d\d \d\d:\d\d UTC to Microsoft Teams/);
    expect(cardText(rechecked.value)).toMatch(/Successful sign-in at .* to Microsoft Teams/);
  });

  // BUG: validateCase counts any successful sign-in since execution started, so the TAP sign-in the user makes in
  // malicious step 4 to reach the security-info page (before any new method exists) already passes "Test sign-in".
  // The guidance's test sign-in is there "to confirm that restored or re-registered methods function correctly".
  it('post-recovery validation 1 "Have the user perform a test sign-in": in a malicious recovery, the TAP sign-in made to register the new methods does not count as the test sign-in', async () => {
    const lee = USERS.lee;
    const c = await verifyIdentity((await leeAfterStep2()).id);
    await onStep(c.id, Verb.revealPassword, 'resetPassword');
    const { answer } = await onStep(c.id, Verb.revealTap, 'issueTap', { tapLifetime: '60', tapOneTime: 'true' });
    // Lee signs in with the pass to reach the security-info page, and registers a key there.
    const tapSignIn = await control(`users/${lee.id}/sign-in`, { method: 'temporaryAccessPass', temporaryAccessPass: secretOn(answer.value) });
    expect(tapSignIn.body.status).toMatchObject({ errorCode: 0 });
    expect((await control(`users/${lee.id}/register-method`, { type: 'fido2', displayName: 'YubiKey 5C' })).status).toBe(201);
    await onStep(c.id, Verb.confirmGuided, 'checkMethods');
    let after = await current(c.id);
    expect(after.state).toBe('validating');
    const signIn = (v: RecoveryCase) => v.validation?.find((k) => k.name === 'Test sign-in');
    // Nothing has shown yet that the new key works.
    expect(signIn(after)?.outcome).toBe('pending');

    const test = await control(`users/${lee.id}/sign-in`, { method: 'fido2', appDisplayName: 'Microsoft Teams' });
    expect(test.body.status).toMatchObject({ errorCode: 0 });
    await bot.click(Verb.recheck, data(after));
    after = await current(c.id);
    expect(signIn(after)?.outcome).toBe('pass');
    expect(signIn(after)?.detail).toMatch(/to Microsoft Teams/);
  });

  it('post-recovery validation 2 "Verify that MFA, SSPR, and Conditional Access policies apply as expected": the validation checks list MFA registration, SSPR and the policies that apply', async () => {
    const c = await adeleInValidation();
    const checks = c.validation ?? [];
    expect(checks.map((k) => k.name).filter((n) => n !== 'Prevention')).toEqual([
      'Test sign-in',
      'MFA registration',
      'SSPR',
      'Conditional Access',
      'Recovered methods usable',
    ]);
    const check = (name: string) => checks.find((k) => k.name === name);
    expect(check('MFA registration')).toMatchObject({ outcome: 'pass', detail: expect.stringMatching(/^MFA registered; methods: .*microsoftAuthenticator/) });
    // SSPR is enabled in the tenant and Adele's restored phone, email and Authenticator register her for it.
    expect(check('SSPR')).toEqual({ name: 'SSPR', outcome: 'pass', detail: 'SSPR enabled, registered.' });
    const ca = check('Conditional Access');
    expect(ca?.outcome).toBe('pass');
    expect(ca?.detail).toMatch(/^Policies that apply: /);
    expect(ca?.detail).toContain('Require multifactor authentication for all users');
    expect(ca?.detail).toContain('Block legacy authentication');
    // Adele holds no admin role: the administrators' policy does not apply to her.
    expect(ca?.detail).not.toContain('Require phishing-resistant MFA for administrators');
    expect(check('Recovered methods usable')).toMatchObject({ outcome: 'pass', detail: expect.stringMatching(/Every removed method type is back\.$/) });

    const text = cardText(latestCard('Summary of case', c));
    for (const name of ['MFA registration', 'SSPR', 'Conditional Access']) expect(text).toContain(name);
    expect(text).toContain('Require multifactor authentication for all users');
  });

  it('post-recovery validation 3 "Review the prevention and readiness recommendations": every recommended practice of the guidance is listed for review', async () => {
    const c = await adeleInValidation();
    const prevention = (c.validation ?? []).filter((k) => k.name === 'Prevention');
    expect(prevention.every((k) => k.outcome === 'info')).toBe(true);
    expect(prevention.map((k) => k.detail)).toEqual([
      expect.stringMatching(/MFA is required for all users/),
      expect.stringMatching(/at least two strong methods/),
      expect.stringMatching(/Phishing-resistant methods/),
      expect.stringMatching(/Authentication Administrators through RBAC and PIM/),
      expect.stringMatching(/registration is protected by Conditional Access/),
      expect.stringMatching(/Permanent user deletion is limited with protected actions/),
    ]);
    const text = cardText(latestCard('Summary of case', c));
    for (const k of prevention) expect(text).toContain(k.detail);
  });

  it('post-recovery validation 4 "Document the recovery outcome and any lessons learned": closing with lessons documents the case, the summary card in the thread shows them, and the export contains them', async () => {
    let c = await adeleInValidation();
    const posted = bot.poster.writes.find((w) => w.kind === 'post' && cardText(w.activity.attachments?.[0]?.content).includes(`Summary of case ${c.id}`));
    expect(posted).toBeDefined();
    const lessons = 'Scope the HR provisioning app to profile attributes only; alert when automation deletes security info.';

    expect(String(refusalOf(await bot.click(Verb.close, data(c, { lessons }), { from: USERS.grady })))).toMatch(/CASE\.NOT_REQUESTER/);
    expect((await current(c.id)).state).toBe('validating');

    // The close form is a message of its own, posted when validation began: the case has changed since (validation was
    // recorded), yet its button, drawn at that older version, still works (the stale rule compares the state's version).
    const form = bot.poster.writes.find(
      (w) => w.kind === 'post' && textsOf(w.activity.attachments?.[0]?.content).includes(`Case ${c.id}: close with lessons learned`),
    );
    const closeButton = buttonsOf((form?.activity.attachments?.[0]?.content ?? {}) as Record<string, unknown>).find((b) => b.verb === Verb.close);
    expect(Number(closeButton?.data.version)).toBeLessThan(c.version);
    const closed = await bot.click(Verb.close, { ...closeButton?.data, lessons });
    expect(refusalOf(closed)).toBeUndefined();
    const formEdits = bot.poster.writes.filter((w) => w.activityId === form?.activityId);
    expect(formEdits.map((w) => w.kind)).toEqual(['post', 'update']);
    expect(verbsOf(formEdits[1]?.activity.attachments?.[0]?.content)).toEqual([]);
    expect(cardText(formEdits[1]?.activity.attachments?.[0]?.content)).toMatch(/Closed by Megan Bowen at .*; the lessons learned are on the summary card\./);
    c = await current(c.id);
    expect(c.state).toBe('documented');
    expect(c.lessons).toBe(lessons);
    expect(c.closedAt).toBeDefined();
    expect(c.journal[c.journal.length - 1]).toMatchObject({ by: 'Megan Bowen', event: 'Case closed with the summary', detail: lessons });

    // The summary message in the thread is edited to the closed record with the lessons, and no longer offers actions.
    const edits = bot.poster.writes.filter((w) => w.kind === 'update' && w.activityId === posted?.activityId);
    const last = edits[edits.length - 1]?.activity.attachments?.[0]?.content;
    expect(cardText(last)).toContain(lessons);
    expect(cardText(last)).toContain(`Case ${c.id} is closed.`);
    expect(verbsOf(last)).not.toContain(Verb.close);
    expect(verbsOf(last)).not.toContain(Verb.recheck);

    const exported = (await bot.send(`export ${c.id}`)).map((a) => a.text ?? '');
    expect(exported).toHaveLength(2);
    expect(exported[0]).toContain(`## Lessons learned\n\n> ${lessons}`);
    expect(exported[1]).toContain(`"lessons": ${JSON.stringify(lessons)}`);
    // A closed case stays closed.
    expect(String(refusalOf(await bot.click(Verb.close, data(c, { lessons: 'Something else' }))))).toMatch(/closed/);
    expect((await current(c.id)).lessons).toBe(lessons);
  });
});
