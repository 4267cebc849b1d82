import { triageCase } from '../../src/app/triage-case';
import type { AuditActor, AuditEvent } from '../../src/domain/audit';
import { DirectoryError } from '../../src/ports/directory';
import { USERS } from '../helpers/demo-ids';
import { CaseWorld, value } from '../fakes/case-world';
import { PROVISIONING_APP } from '../fakes/small-tenant';

const adele = USERS.adele.id;
const provisioning: AuditActor = { kind: 'app', appId: PROVISIONING_APP, displayName: 'HR provisioning' };
const nestor: AuditActor = { kind: 'user', id: USERS.nestor.id, userPrincipalName: USERS.nestor.upn, displayName: USERS.nestor.name };
const stranger: AuditActor = {
  kind: 'user',
  id: 'ffffffff-0000-4000-8000-00000000dead',
  userPrincipalName: 'mallory@contoso.com',
  displayName: 'Mallory',
  ipAddress: '203.0.113.9',
};

let n = 0;
function audit(at: string, activity: string, actor: AuditActor, details: string[] = []): AuditEvent {
  return { id: `audit-${++n}`, at, activity, result: 'success', actor, details, targetIds: [adele] };
}

describe('triage-case', () => {
  let w: CaseWorld;
  beforeEach(() => {
    w = new CaseWorld();
  });
  const triaged = async () => {
    const c = await w.open();
    return value(await triageCase(w.deps, c.id));
  };

  it('recommends malicious when nothing changed: an unclear cause is treated as malicious', async () => {
    const c = await triaged();
    expect(c.state).toBe('triaged');
    expect(c.triage).toMatchObject({ recommendation: 'malicious', nothingChanged: true, timeline: [] });
    expect(c.triage?.reasons.join(' ')).toContain('unclear');
  });

  it('recommends accidental when known automation removed the methods in working hours, and says so', async () => {
    w.directory.addAudit(
      audit('2026-11-17T10:00:00Z', 'Admin deleted security info', provisioning, ['Authenticator app']),
      audit('2026-11-17T10:01:00Z', 'Delete FIDO2 security key(s)', provisioning),
    );
    const c = await triaged();
    expect(c.triage).toMatchObject({ recommendation: 'accidental', nothingChanged: false, incidentStart: '2026-11-17T10:00:00Z' });
    expect(c.triage?.reasons[0]).toContain('known automation (app HR provisioning)');
    expect(c.triage?.timeline.map((t) => [t.change, t.methodType, t.actorTrust])).toEqual([
      ['methodRemoved', 'microsoftAuthenticator', 'automation'],
      ['methodRemoved', 'fido2', 'automation'],
    ]);
  });

  it('trusts a change by a helpdesk member, checked through the directory', async () => {
    w.directory.addAudit(audit('2026-11-16T09:00:00Z', 'Admin deleted security info', nestor, ['Phone']));
    const c = await triaged();
    expect(c.triage?.recommendation).toBe('accidental');
    expect(c.triage?.timeline[0]?.actorTrust).toBe('helpdesk');
    // The requester at intake, the target's own groups at intake (a privileged target?), Nestor in triage.
    expect(w.directory.calls.filter((op) => op === 'memberOf')).toHaveLength(3);
  });

  it('recommends malicious for an unknown actor, naming it and its address', async () => {
    w.directory.addAudit(audit('2026-11-17T10:00:00Z', 'Admin deleted security info', stranger, ['Authenticator app']));
    const c = await triaged();
    expect(c.triage?.recommendation).toBe('malicious');
    expect(c.triage?.reasons[0]).toContain('Mallory (mallory@contoso.com) (from 203.0.113.9) is neither a known automation identity nor a helpdesk member');
  });

  it('recommends malicious for a helpdesk change outside working hours (a Sunday night)', async () => {
    w.directory.addAudit(audit('2026-11-15T23:30:00Z', 'Admin deleted security info', nestor, ['Phone']));
    const c = await triaged();
    expect(c.triage?.recommendation).toBe('malicious');
    expect(c.triage?.reasons).toContain('One change happened outside working hours (2026-11-15 23:30 UTC).');
  });

  it('recommends malicious when a method is re-added right after a removal, and for a risky sign-in', async () => {
    w.directory.addAudit(
      audit('2026-11-17T10:00:00Z', 'Admin deleted security info', nestor, ['Phone']),
      audit('2026-11-17T10:20:00Z', 'Admin registered security info', nestor, ['Phone']),
    );
    w.directory.addSignIn(adele, { at: '2026-11-17T11:00:00Z', success: true, riskLevel: 'high', ipAddress: '198.51.100.7' });
    const c = await triaged();
    expect(c.triage?.recommendation).toBe('malicious');
    expect(c.triage?.reasons).toEqual(
      expect.arrayContaining([expect.stringContaining('the pattern of an account takeover'), 'A high-risk sign-in at 2026-11-17 11:00 UTC from 198.51.100.7.']),
    );
  });

  it('ignores audit records older than the audit window', async () => {
    w.directory.addAudit(audit('2026-10-01T10:00:00Z', 'Admin deleted security info', stranger));
    expect((await triaged()).triage).toMatchObject({ nothingChanged: true, timeline: [] });
  });

  it('triages from the audit log alone when sign-in logs are not licensed, and logs why', async () => {
    w.directory.addAudit(audit('2026-11-17T10:00:00Z', 'Admin deleted security info', provisioning, ['Phone']));
    w.directory.failNext('listSignIns', new DirectoryError('denied', 'Sign-in logs need Entra ID P1.'));
    expect((await triaged()).triage?.recommendation).toBe('accidental');
    expect(w.logger.lines.map((l) => l.message)).toContain('sign-in logs unavailable for triage');
  });

  it('leaves the case opened with the directory code when the audit log cannot be read', async () => {
    const c = await w.open();
    w.directory.failNext('listAudit', new DirectoryError('unavailable', 'Microsoft Graph did not answer.', 'req-503'));
    expect(await triageCase(w.deps, c.id)).toMatchObject({ ok: false, code: 'DIRECTORY.UNAVAILABLE', message: expect.stringContaining('req-503') });
    expect((await w.stored(c.id)).state).toBe('opened');
    expect(w.observer.changes).toEqual([]);
  });

  it('records the triage once: the observer is told, and a second triage is refused', async () => {
    const c = await triaged();
    expect(w.observer.states()).toEqual(['triaged']);
    expect(await w.journal(c.id)).toEqual(['Case opened', 'Triaged']);
    expect(await triageCase(w.deps, c.id)).toMatchObject({ ok: false, code: 'CASE.WRONG_STATE' });
    expect(await triageCase(w.deps, 'RC-NOTTHERE')).toMatchObject({ ok: false, code: 'CASE.NOT_FOUND' });
  });
});
