import { watchAccountRecovery } from '../../src/app/account-recovery';
import { ACCOUNT_RECOVERY_EVENTS as E } from '../../src/domain/account-recovery-outcome';
import { USERS } from '../helpers/demo-ids';
import { sampleCaseFor } from '../helpers/sample-cases';
import { demoSeedWith, simulatedDirectory, type SimulatedDirectory } from '../entra/simulated-directory';

/**
 * Issue 17: a person playing the user runs Entra ID Account Recovery on the simulated tenant (POST
 * /_simulator/users/{id}/account-recovery, and its admin-page form), and the bot's watch reads the outcome back through
 * Graph (GraphDirectory.listAudit over HTTP). The audit names are the spec's provisional ones.
 */
type User = { id: string; upn: string; name: string };

async function run(t: SimulatedDirectory, user: User, outcome: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${t.sim.url}/_simulator/users/${user.id}/account-recovery`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ outcome }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A form post from the admin page: answered 303, the outcome in the Location's query, `+` for spaces. */
async function postForm(t: SimulatedDirectory, user: User, outcome: string): Promise<string> {
  const res = await fetch(`${t.sim.url}/_simulator/users/${user.id}/account-recovery`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ outcome }).toString(),
  });
  expect(res.status).toBe(303);
  return decodeURIComponent(res.headers.get('location') ?? '').replace(/\+/g, ' ');
}

async function watch(t: SimulatedDirectory, user: User, since: Date) {
  const r = await watchAccountRecovery({ directory: t.directory }, sampleCaseFor(user), since);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('simulator control: the user runs Account Recovery', () => {
  let t: SimulatedDirectory;
  afterEach(async () => t.close());

  describe('with the demo tenant', () => {
    beforeEach(async () => {
      t = await simulatedDirectory();
    });

    it('completes: the provisional events in order, a pass issued and signed in with, a passkey registered with the real registration record', async () => {
      const since = t.now();
      const before = (t.sim.tenant.methods.get(USERS.lee.id) ?? []).length;
      const res = await run(t, USERS.lee, 'completes');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        outcome: 'completes',
        ran: 'completes',
        provisionalAuditNames: true,
        method: { '@odata.type': '#microsoft.graph.fido2AuthenticationMethod' },
      });
      const outcome = await watch(t, USERS.lee, since);
      expect(outcome.status).toBe('completed');
      expect(outcome.seen.map((s) => s.activity)).toEqual([
        E.started,
        E.issuanceStarted,
        E.issuanceCompleted,
        E.presentationCompleted,
        E.accountMatched,
        E.securityInfoRegistered,
        E.completed,
      ]);
      const methods = t.sim.tenant.methods.get(USERS.lee.id) ?? [];
      expect(methods).toHaveLength(before + 2);
      // Spent only when the tenant's policy makes passes one-time (the demo's does not).
      expect(methods.filter((m) => m.type === 'temporaryAccessPass')).toHaveLength(1);
      expect(methods.some((m) => m.type === 'fido2' && m.displayName === 'Passkey (account recovery)')).toBe(true);
      const audits = await t.directory.listAudit(USERS.lee.id, since);
      expect(audits.map((a) => a.activity)).toContain('User registered security info');
      expect(audits.find((a) => a.activity === E.completed)?.actor).toMatchObject({ kind: 'user', id: USERS.lee.id });
      expect((await t.directory.listSignIns(USERS.lee.id, since))[0]).toMatchObject({ success: true });
    });

    it.each([
      ['failsFaceCheck', 'failed', E.faceCheckFailed],
      ['notMatched', 'failed', E.accountNotMatched],
      ['abandoned', 'inProgress', E.issuanceStarted],
    ])('%s: the watch reports %s, and no method is added', async (requested, status, last) => {
      const since = t.now();
      const before = (t.sim.tenant.methods.get(USERS.johanna.id) ?? []).length;
      expect((await run(t, USERS.johanna, requested)).status).toBe(201);
      const outcome = await watch(t, USERS.johanna, since);
      expect(outcome.status).toBe(status);
      expect(outcome.seen.at(-1)?.activity).toBe(last);
      expect(t.sim.tenant.methods.get(USERS.johanna.id)).toHaveLength(before);
    });

    it('ignores a recovery that finished before the hand-off', async () => {
      expect((await run(t, USERS.lee, 'completes')).status).toBe(201);
      expect((await watch(t, USERS.lee, new Date(t.now().getTime() + 1000))).status).toBe('notStarted');
    });

    it('refuses a user outside the profile\u2019s scope: the option would not appear', async () => {
      const res = await run(t, USERS.megan, 'completes');
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('does not appear');
      expect(t.sim.tenant.audits.some((a) => a.activityDisplayName === E.started)).toBe(false);
    });

    it('refuses an outcome it does not know', async () => {
      expect((await run(t, USERS.lee, 'succeeds')).status).toBe(400);
    });

    it('offers the form on the admin page with stable ids, and answers a form post with the provisional note', async () => {
      const page = await (await fetch(`${t.sim.url}/_simulator/admin`)).text();
      expect(page).toContain(`id="account-recovery-${USERS.lee.id}"`);
      expect(page).toContain('User runs Account Recovery');
      expect(page).toContain('audit event names are provisional');
      const notice = await postForm(t, USERS.lee, 'failsFaceCheck');
      expect(notice).toContain('Lee Gu ran Account Recovery: failed the face check. The audit event names written are provisional');
      expect(await postForm(t, USERS.megan, 'completes')).toMatch(/^\/_simulator\/admin\?error=.*cannot start Account Recovery/);
    });
  });

  it('refuses an account without prior sign-ins', async () => {
    t = await simulatedDirectory({ seed: demoSeedWith((s) => void (s.signIns = (s.signIns ?? []).filter((x) => x.userId !== USERS.lee.id))) });
    const res = await run(t, USERS.lee, 'completes');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('prior sign-ins');
  });

  it('ends not matched when the account\u2019s surname is blank, whatever was asked', async () => {
    t = await simulatedDirectory({ seed: demoSeedWith((s) => void (s.users.find((u) => u.id === USERS.lee.id)!.surname = null)) });
    const since = t.now();
    const res = await run(t, USERS.lee, 'completes');
    expect(res.body).toMatchObject({ outcome: 'completes', ran: 'notMatched', method: null });
    expect((await watch(t, USERS.lee, since)).status).toBe('failed');
  });
});
