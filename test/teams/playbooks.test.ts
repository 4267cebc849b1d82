import type { RecoveryCase } from '../../src/domain/case';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText, revealedPass } from '../helpers/bot-harness';
import { verbsOf } from '../helpers/card-checks';
import { USERS } from '../helpers/demo-ids';
import { refusalOf } from '../helpers/invoke-answers';

/** Texts of everything in a card body, for assertions on what people see. */
function cardText(value: unknown): string {
  return repliesText([{ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: value }] }]);
}

describe('the recovery playbooks end to end through the real Application against the simulated tenant', () => {
  let bot: BotHarness;
  beforeEach(async () => {
    bot = await BotHarness.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  const openAndTriage = async (upn: string): Promise<RecoveryCase> => {
    const text = repliesText(await bot.send(`recover ${upn}`));
    const caseId = /Recovery case (RC-\d{8})/.exec(text)?.[1] ?? '';
    const stored = await bot.cases.get(caseId);
    if (!stored) throw new Error(`no case opened for ${upn}: ${text}`);
    return stored.value;
  };
  const current = async (caseId: string): Promise<RecoveryCase> => (await bot.cases.get(caseId))!.value;
  const data = (c: RecoveryCase, extra: Record<string, unknown> = {}) => ({ caseId: c.id, version: c.version, ...extra });
  const nextWaiting = (c: RecoveryCase) => c.plan?.find((s) => c.steps?.[s.id]?.status !== 'done');

  it('malicious: step 1 confirms from the audit records, step 2 removes all authentication methods and revokes sessions, step 3 sets a new password, step 4 issues a TAP after identity verification, then validation and the summary', async () => {
    const lee = USERS.lee;
    let c = await openAndTriage(lee.upn);
    // Step 1: Ravi at 02:14 from a Tor exit node, a new phone five minutes later.
    expect(c.state).toBe('triaged');
    expect(c.triage?.recommendation).toBe('malicious');
    expect(c.triage?.reasons.join(' ')).toMatch(/Ravi Sharma/);
    expect(bot.poster.writes.some((w) => w.kind === 'post' && cardText(w.activity.attachments?.[0]?.content).includes('Malicious'))).toBe(true);

    expect(refusalOf(await bot.click(Verb.confirmScenario, data(c, { scenario: 'malicious' })))).toBeUndefined();
    c = await current(c.id);
    expect(c.state).toBe('planProposed');
    expect(c.plan?.map((s) => s.kind)).toEqual(['removeAllMethods', 'revokeSessions', 'verifyIdentity', 'resetPassword', 'issueTap', 'checkMethods']);

    await bot.click(Verb.requestApproval, data(c));
    c = await current(c.id);
    expect(c.state).toBe('awaitingApproval');

    // The requester cannot approve; an approver can.
    const self = await bot.click(Verb.approve, data(c));
    expect(String(refusalOf(self))).toContain('APPROVAL.BY_REQUESTER');
    const approved = await bot.click(Verb.approve, data(c, { comment: 'Called Lee on his desk phone' }), { from: USERS.alex });
    expect(refusalOf(approved)).toBeUndefined();
    c = await current(c.id);
    expect(c.state).toBe('executing');

    // Step 2 ran automatically: every method but the password is gone, sessions revoked, audit records written.
    const methodsLeft = bot.simulator.tenant.methods.get(lee.id) ?? [];
    expect(methodsLeft.map((m) => m.type)).toEqual(['password']);
    expect(bot.simulator.tenant.users.get(lee.id)?.signInSessionsValidFromDateTime).toBeDefined();
    const botAudits = bot.simulator.tenant.audits.filter((a) => 'app' in a.initiatedBy && a.initiatedBy.app.appId === 'b07e0a11-2c3d-4e5f-8a9b-0c1d2e3f4a5b');
    expect(botAudits.filter((a) => a.activityDisplayName === 'Admin deleted security info').length).toBeGreaterThanOrEqual(2);
    expect(botAudits.some((a) => a.activityDisplayName === 'Update StsRefreshTokenValidFrom Timestamp')).toBe(true);
    expect(nextWaiting(c)?.kind).toBe('verifyIdentity');

    // No secret before the identity is verified.
    const passwordStep = c.plan?.find((s) => s.kind === 'resetPassword');
    const early = await bot.click(Verb.revealPassword, data(c, { stepId: passwordStep?.id }));
    expect(String(refusalOf(early))).toMatch(/not available now/);

    // Without Verified ID, the agent's word is not enough: a manual method needs one more approver (Patti; Alex approved the plan).
    const manual = await bot.click(
      Verb.recordIdentity,
      data(c, { stepId: nextWaiting(c)?.id, identityMethod: 'Video call with manager', identityNote: 'Manager Lynne confirmed on camera at 09:12' }),
    );
    expect(String(refusalOf(manual))).toMatch(/VERIFICATION.REQUIRED/);
    c = await bot.identityByFallback(c.id, { note: 'Manager Lynne confirmed on camera at 09:12' });
    expect(c.identityVerification).toMatchObject({ method: 'Video call with manager', kind: 'fallback', approvedBy: { name: USERS.patti.name } });
    expect(nextWaiting(c)?.kind).toBe('resetPassword');

    // Step 3: the password is revealed to the requester only.
    const passwordReveal = await bot.click(Verb.revealPassword, data(c, { stepId: nextWaiting(c)?.id }));
    const passwordCard = cardText(passwordReveal.value);
    const password = /([A-Za-z0-9!#$%&*+\-=?@]{16})/.exec(passwordCard.split('\n').find((l) => /^[A-Za-z0-9!#$%&*+\-=?@]{16}$/.test(l)) ?? '')?.[1];
    expect(password).toBeDefined();
    expect(bot.simulator.tenant.users.get(lee.id)?.passwordReset).toMatchObject({ forceChangePasswordNextSignIn: true });

    // Step 4: the TAP, to the requester only.
    c = await current(c.id);
    const tapReveal = await bot.click(Verb.revealTap, data(c, { stepId: nextWaiting(c)?.id, tapLifetime: '60', tapOneTime: 'true' }));
    const tapMethod = (bot.simulator.tenant.methods.get(lee.id) ?? []).find((m) => m.type === 'temporaryAccessPass');
    expect(tapMethod).toBeDefined();
    const tap = revealedPass(tapReveal.value);
    expect(tap).toBeDefined();

    // The user signs in with the TAP and registers a key; the agent confirms; the bot re-checks.
    c = await current(c.id);
    expect(nextWaiting(c)?.kind).toBe('checkMethods');
    // The progress card in the thread offers the agent the re-check for this step.
    const lastProgress = [...bot.poster.writes].reverse().find((w) => cardText(w.activity.attachments?.[0]?.content).includes(`Recovery of case ${c.id}`));
    expect(verbsOf(lastProgress?.activity.attachments?.[0]?.content)).toContain(Verb.confirmGuided);
    const tooEarly = await bot.click(Verb.confirmGuided, data(c, { stepId: nextWaiting(c)?.id }));
    expect(String(refusalOf(tooEarly))).toMatch(/No new method is registered yet/);
    const registered = await fetch(`${bot.simulator.url}/_simulator/users/${lee.id}/register-method`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'fido2', displayName: 'YubiKey 5C' }),
    });
    expect(registered.status).toBe(201);
    await bot.click(Verb.confirmGuided, data(c, { stepId: nextWaiting(c)?.id }));
    c = await current(c.id);
    expect(c.state).toBe('validating');
    expect(c.validation?.find((k) => k.name === 'Test sign-in')?.outcome).toBe('pending');

    // Post-recovery validation: a real sign-in, then Re-check.
    const signIn = await fetch(`${bot.simulator.url}/_simulator/users/${lee.id}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'fido2' }),
    });
    expect(signIn.ok).toBe(true);
    await bot.click(Verb.recheck, data(c));
    c = await current(c.id);
    expect(c.validation?.find((k) => k.name === 'Test sign-in')?.outcome).toBe('pass');
    expect(c.validation?.some((k) => k.name === 'Conditional Access')).toBe(true);

    await bot.click(Verb.close, data(c, { lessons: 'Remove Authentication Administrator from Ravi; require phishing-resistant MFA for admins.' }));
    c = await current(c.id);
    expect(c.state).toBe('documented');
    const summary = bot.poster.writes.filter((w) => cardText(w.activity.attachments?.[0]?.content).includes('Remove Authentication Administrator from Ravi'));
    expect(summary.length).toBeGreaterThan(0);

    // Each secret step had its own reveal message, not edited while the case ran (an edit would take a revealed value
    // off the agent's screen) and edited once at the close, without a button.
    for (const what of ['new password', 'Temporary Access Pass']) {
      const posted = bot.poster.writes.filter((w) => w.kind === 'post' && cardText(w.activity.attachments?.[0]?.content).includes(`Case ${c.id}: ${what}`));
      expect(posted).toHaveLength(1);
      const edits = bot.poster.writes.filter((w) => w.kind === 'update' && w.activityId === posted[0]?.activityId);
      expect(edits).toHaveLength(1);
      expect(bot.poster.writes.indexOf(edits[0]!)).toBeGreaterThan(
        bot.poster.writes.findIndex((w) => cardText(w.activity.attachments?.[0]?.content).includes('Remove Authentication Administrator from Ravi')),
      );
      expect(verbsOf(edits[0]?.activity.attachments?.[0]?.content)).toEqual([]);
      expect(cardText(edits[0]?.activity.attachments?.[0]?.content)).toMatch(/Revealed to Megan Bowen .*the value was not kept/);
    }

    // The secrets were only in the two invoke responses: nowhere else.
    const everywhere = (value: unknown): string => JSON.stringify(value);
    const outside = [
      ...bot.poster.writes.map(everywhere),
      ...bot.sent
        .filter((a) => a !== undefined)
        .map(everywhere)
        .filter((s) => !s.includes('"invokeResponse"')),
      ...bot.logs.map(everywhere),
      everywhere(await bot.storage.read([`cases/${c.id}`, ...(await bot.storage.keys(`threads/${c.id}/`))])),
    ].join('\n');
    for (const secret of [password!, tap!]) expect(outside).not.toContain(secret);
    const invokeResponses = bot.sent
      .filter((a) => a.type === 'invokeResponse')
      .map(everywhere)
      .join('\n');
    expect(invokeResponses).toContain(password!);
    expect(invokeResponses).toContain(tap!);
  });

  it('accidental: step 2 restores the user to a prior state (guided Backup and Recovery, re-checked), step 3 validates recovered methods, step 4 sets a new password as needed', async () => {
    const adele = USERS.adele;
    let c = await openAndTriage(adele.upn);
    expect(c.triage?.recommendation).toBe('accidental');
    await bot.click(Verb.confirmScenario, data(c, { scenario: 'accidental' }));
    c = await current(c.id);
    expect(c.plan?.map((s) => s.kind)).toEqual(['pointInTimeRestore', 'checkMethods', 'verifyIdentity', 'resetPassword', 'issueTap']);
    await bot.click(Verb.requestApproval, data(c));
    c = await current(c.id);
    await bot.click(Verb.approve, data(c), { from: USERS.alex });
    c = await current(c.id);
    expect(nextWaiting(c)?.kind).toBe('pointInTimeRestore');

    // The agent says it is done before it is: the bot re-checks and refuses.
    const notYet = await bot.click(Verb.confirmGuided, data(c, { stepId: nextWaiting(c)?.id }));
    expect(String(refusalOf(notYet))).toMatch(/not done yet: .*Still missing: .*microsoftAuthenticator/);

    // A Backup Administrator restores Adele from the last snapshot before the change.
    const restored = await fetch(`${bot.simulator.url}/_simulator/backup/users/${adele.id}/restore`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(restored.status).toBe(200);
    await bot.click(Verb.confirmGuided, data(c, { stepId: nextWaiting(c)?.id }));
    c = await current(c.id);
    // Step 3 ran: the recovered methods checked against the usability table.
    const check = c.plan?.find((s) => s.kind === 'checkMethods');
    expect(c.steps?.[check!.id]?.detail).toMatch(/Every removed method type is back/);
    expect(nextWaiting(c)?.kind).toBe('verifyIdentity');

    await bot.click(
      Verb.recordIdentity,
      data(c, { stepId: nextWaiting(c)?.id, identityMethod: 'In person with photo ID', identityNote: 'At the service desk, badge 4711' }),
    );
    c = await current(c.id);
    await bot.click(Verb.revealPassword, data(c, { stepId: nextWaiting(c)?.id }));
    expect(bot.simulator.tenant.users.get(adele.id)?.passwordReset?.forceChangePasswordNextSignIn).toBe(true);
    c = await current(c.id);
    // A TAP is not needed: her restored Authenticator works.
    await bot.click(Verb.skipStep, data(c, { stepId: nextWaiting(c)?.id }));
    c = await current(c.id);
    expect(c.state).toBe('validating');
    expect((bot.simulator.tenant.methods.get(adele.id) ?? []).some((m) => m.type === 'temporaryAccessPass')).toBe(false);
    expect(c.validation?.find((k) => k.name === 'Recovered methods usable')?.outcome).toBe('pass');
  });

  it('a deny stops the case: nothing is changed in the directory', async () => {
    let c = await openAndTriage(USERS.lee.upn);
    await bot.click(Verb.confirmScenario, data(c, { scenario: 'malicious' }));
    c = await current(c.id);
    await bot.click(Verb.requestApproval, data(c));
    c = await current(c.id);
    const before = JSON.stringify(bot.simulator.tenant.methods.get(USERS.lee.id));
    const noReason = await bot.click(Verb.deny, data(c, { denyReason: '' }), { from: USERS.alex });
    expect(String(refusalOf(noReason))).toContain('INPUT.REASON_REQUIRED');
    await bot.click(Verb.deny, data(c, { denyReason: 'Caller could not answer the verification questions' }), { from: USERS.alex });
    c = await current(c.id);
    expect(c.state).toBe('denied');
    expect(JSON.stringify(bot.simulator.tenant.methods.get(USERS.lee.id))).toBe(before);
    const late = await bot.click(Verb.approve, data(c), { from: USERS.patti });
    expect(String(refusalOf(late))).toMatch(/denied/);
  });

  it('refuses a click from a non-approver, on a case of another conversation, and an unknown verb', async () => {
    let c = await openAndTriage(USERS.johanna.upn);
    await bot.click(Verb.confirmScenario, data(c, { scenario: 'malicious' }));
    c = await current(c.id);
    await bot.click(Verb.requestApproval, data(c));
    c = await current(c.id);
    expect(refusalOf(await bot.click(Verb.approve, data(c), { from: USERS.grady }))).toContain('APPROVAL.NOT_APPROVER');
    expect(refusalOf(await bot.click(Verb.approve, data(c), { from: USERS.alex, conversationId: '19:elsewhere@thread.tacv2' }))).toMatch(
      /belongs to case .*, which lives in another conversation or thread.*CARD.INVALID/,
    );
    expect(await bot.click('case.delete', data(c), { from: USERS.alex })).toMatchObject({ statusCode: 400 });
    expect((await current(c.id)).state).toBe('awaitingApproval');
  });

  it('a privileged target needs two approvals from the privileged approvers', async () => {
    let c = await openAndTriage(USERS.nestor.upn);
    await bot.click(Verb.confirmScenario, data(c, { scenario: 'malicious' }));
    c = await current(c.id);
    await bot.click(Verb.requestApproval, data(c));
    c = await current(c.id);
    expect(c.approval?.required).toBe(2);
    expect(String(refusalOf(await bot.click(Verb.approve, data(c), { from: USERS.alex })))).toContain('APPROVAL.NOT_APPROVER');
    await bot.click(Verb.approve, data(c), { from: USERS.patti });
    expect((await current(c.id)).state).toBe('awaitingApproval');
  });

  it('soft-deleted target, malicious step 2: restores the user first, then removes every method the restore brought back', async () => {
    const diego = USERS.diego;
    let c = await openAndTriage(diego.upn);
    expect(c.intake.account.kind).toBe('softDeleted');
    await bot.click(Verb.confirmScenario, data(c, { scenario: 'malicious' }));
    c = await current(c.id);
    expect(c.plan?.map((s) => s.kind).slice(0, 2)).toEqual(['restoreUser', 'removeAllMethods']);
    await bot.click(Verb.requestApproval, data(c));
    c = await current(c.id);
    // A soft-deleted target is privileged (its memberships can't be read until it is restored): the privileged approvers decide.
    expect(c.approval?.required).toBe(2);
    await bot.click(Verb.approve, data(c), { from: USERS.patti });
    await bot.click(Verb.approve, data(await current(c.id)), { from: USERS.nestor });
    c = await current(c.id);
    expect(bot.simulator.tenant.users.has(diego.id)).toBe(true);
    expect(bot.simulator.tenant.deletedUsers.has(diego.id)).toBe(false);
    expect((bot.simulator.tenant.methods.get(diego.id) ?? []).map((m) => m.type)).toEqual(['password']);
    expect(bot.simulator.tenant.audits.some((a) => a.activityDisplayName === 'Restore user')).toBe(true);
    expect(nextWaiting(c)?.kind).toBe('verifyIdentity');
  });

  it('hard-deleted target, accidental step 2: recreates the user from the last known values; every method must be registered anew', async () => {
    const isaiah = USERS.isaiah;
    let c = await openAndTriage(isaiah.upn);
    expect(c.intake.account.kind).toBe('hardDeleted');
    await bot.click(Verb.confirmScenario, data(c, { scenario: 'accidental', reason: 'Offboarding script hit the wrong user; HR confirmed' }));
    c = await current(c.id);
    const recreate = c.plan?.[0];
    expect(recreate?.kind).toBe('recreateUser');
    expect(recreate?.kind === 'recreateUser' && recreate.prefill.userPrincipalName).toBe('isaiah@contoso.com');
    await bot.click(Verb.requestApproval, data(c));
    c = await current(c.id);
    await bot.click(Verb.approve, data(c), { from: USERS.alex });
    c = await current(c.id);
    expect(c.recreatedUserId).toBeDefined();
    expect(c.recreatedUserId).not.toBe(isaiah.id);
    const recreated = bot.simulator.tenant.users.get(c.recreatedUserId!);
    expect(recreated?.userPrincipalName).toBe('isaiah@contoso.com');
    expect(bot.simulator.tenant.audits.some((a) => a.activityDisplayName === 'Add user')).toBe(true);
    // Later steps act on the new object id.
    const check = c.plan?.find((s) => s.kind === 'checkMethods');
    expect(c.steps?.[check!.id]?.status).toBe('done');
  });

  it('a target with nothing changed gets a triage card that says so, and the malicious default', async () => {
    const c = await openAndTriage(USERS.johanna.upn);
    expect(c.triage?.nothingChanged).toBe(true);
    expect(c.triage?.recommendation).toBe('malicious');
    const triageCard = bot.poster.writes.find((w) => w.kind === 'post' && cardText(w.activity.attachments?.[0]?.content).includes(`Triage of case ${c.id}`));
    expect(cardText(triageCard?.activity.attachments?.[0]?.content)).toMatch(/No change/);
  });
});
