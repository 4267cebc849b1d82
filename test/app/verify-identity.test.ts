import { runSteps } from '../../src/app/execute-case';
import { resumeOpenCases } from '../../src/app/resume-cases';
import { expireVerification, readCallback, receiveVerificationCallback, startVerification } from '../../src/app/verify-identity';
import type { RecoveryCase } from '../../src/domain/case';
import { VerifiedIdError } from '../../src/ports/verified-id';
import { alex, CaseWorld, megan, value } from '../fakes/case-world';
import { TEST_POLICY } from '../fakes/fake-verified-id';
import { USERS } from '../helpers/demo-ids';

/** When triage sees the takeover begin (the test clock stands at 2026-11-18 12:00 UTC). */
const COMPROMISE = '2026-11-17T02:14:00Z';

/** A photo claim as the Request Service sends it: a marker no store or log may ever contain. */
const PHOTO = `PHOTO-${'x'.repeat(64)}-END`;

/** A VerifiedEmployee credential as a `presentation_verified` callback carries it (spec §2.2), issued long before the incident. */
function credential(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer: TEST_POLICY.acceptedIssuers[0],
    type: ['VerifiableCredential', 'VerifiedEmployee'],
    claims: { displayName: 'Adele Vance', givenName: 'Adele', surname: 'Vance', mail: 'adele@contoso.com', revocationId: USERS.adele.upn, photo: PHOTO },
    credentialState: { revocationStatus: 'VALID' },
    domainValidation: { url: 'https://contoso.com/' },
    issuanceDate: '2026-01-10T09:00:00Z',
    expirationDate: '2027-01-10T09:00:00Z',
    faceCheck: { matchConfidenceScore: 91.5, sourcePhotoQuality: 'HIGH' },
    ...over,
  };
}

describe('the identity step run by the bot: Verified ID with Face Check', () => {
  let w: CaseWorld;
  beforeEach(() => {
    w = new CaseWorld({}, { verifiedId: { maxAttempts: 2 } });
    // The takeover triage finds: someone nobody knows deleted Adele's phone at night. The compromise began then at the latest.
    w.directory.addAudit({
      id: 'audit-takeover-adele',
      at: COMPROMISE,
      activity: 'Admin deleted security info',
      result: 'success',
      actor: { kind: 'user', id: 'unknown-actor', userPrincipalName: 'ravi.admin@contoso.com', ipAddress: '185.220.101.47' },
      details: ['Phone'],
      targetIds: [USERS.adele.id],
    });
  });

  /** Adele's malicious recovery, methods removed and sessions revoked, waiting at the identity check (s03). */
  async function atIdentityCheck(): Promise<RecoveryCase> {
    const c = await w.started();
    return value(await runSteps(w.deps, c.id));
  }

  async function requested(): Promise<{ c: RecoveryCase; state: string; apiKey: string; requestId: string }> {
    const c = await atIdentityCheck();
    const started = value(await startVerification(w.deps, { caseId: c.id, by: megan, stepId: 's03' }));
    const { state, apiKey } = w.verifiedIdService.last();
    return { c: started.case, state, apiKey, requestId: started.link.requestId };
  }

  const callback = (apiKey: string | undefined, body: unknown): ReturnType<typeof receiveVerificationCallback> =>
    receiveVerificationCallback(w.deps, apiKey, body);

  /** Everything the bot keeps or says: the stored case, every log line, and what the thread was shown. */
  async function everythingKept(caseId: string): Promise<string> {
    return JSON.stringify([await w.stored(caseId), w.logger.lines, w.observer]);
  }

  it('asks for the target\u2019s card only, keeps only hashes of the state and the key, and hands the link to the agent alone', async () => {
    const { c, state, apiKey, requestId } = await requested();
    expect(w.verifiedIdService.last().userPrincipalNames).toEqual([USERS.adele.upn]);
    expect(state.startsWith(`${c.id}.`)).toBe(true);
    expect(state.length).toBeGreaterThan(c.id.length + 20);
    const attempt = c.verification?.attempts[0];
    expect(attempt).toMatchObject({ attempt: 1, requestId, status: 'requested', threshold: 85, by: megan, expiresAt: '2026-11-18T12:05:00.000Z' });
    const kept = await everythingKept(c.id);
    expect(kept).not.toContain(apiKey);
    expect(kept).not.toContain(state);
    expect(kept).not.toContain('openid-vc://');
    expect(await w.journal(c.id)).toContain('Verified ID request sent (attempt 1 of 2)');
  });

  it('refuses a second request while one is open, anyone but the requester, and more attempts than configured', async () => {
    const { c, requestId } = await requested();
    expect(await startVerification(w.deps, { caseId: c.id, by: megan, stepId: 's03' })).toMatchObject({ ok: false, code: 'VERIFICATION.PENDING' });
    expect(await startVerification(w.deps, { caseId: c.id, by: alex, stepId: 's03' })).toMatchObject({ ok: false, code: 'CASE.NOT_REQUESTER' });
    expect(w.verifiedIdService.requests).toHaveLength(1);
    // Past the expiry and its grace, the attempt closes and another may start; after the last one, none.
    w.clock.advanceMinutes(6.01);
    await expireVerification(w.deps, c.id, requestId);
    expect((await w.stored(c.id)).verification?.attempts[0]?.status).toBe('expired');
    value(await startVerification(w.deps, { caseId: c.id, by: megan, stepId: 's03' }));
    w.clock.advanceMinutes(7);
    expect(await startVerification(w.deps, { caseId: c.id, by: megan, stepId: 's03' })).toMatchObject({
      ok: false,
      code: 'VERIFICATION.ATTEMPTS_EXHAUSTED',
    });
    expect(w.verifiedIdService.requests).toHaveLength(2);
  });

  it('closes an expired request after a restart, when the timer that would have closed it died with its process', async () => {
    const { c } = await requested();
    w.clock.advanceMinutes(5);
    await resumeOpenCases(w.deps, w.scheduler, () => undefined);
    expect((await w.stored(c.id)).verification?.attempts[0]?.status).toBe('requested');
    w.clock.advanceMinutes(1.01);
    await resumeOpenCases(w.deps, w.scheduler, () => undefined);
    expect((await w.stored(c.id)).verification?.attempts[0]).toMatchObject({ status: 'expired', failure: 'no answer by 2026-11-18T12:05:00.000Z' });
  });

  it('records nothing when the Request Service refuses, and says when to try again', async () => {
    const c = await atIdentityCheck();
    w.verifiedIdService.refuseNext();
    const refused = await startVerification(w.deps, { caseId: c.id, by: megan, stepId: 's03' });
    expect(refused).toMatchObject({ ok: false, code: 'VERIFICATION.SERVICE_FAILED', message: expect.stringContaining('Try again in 2 s') });
    w.verifiedIdService.refuseNext(new VerifiedIdError('forbidden', 'Forbidden'));
    expect(await startVerification(w.deps, { caseId: c.id, by: megan, stepId: 's03' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('VerifiableCredential.Create.PresentRequest'),
    });
    expect((await w.stored(c.id)).verification).toBeUndefined();
  });

  it('a passed presentation completes the identity step and unlocks the password; the photo is never kept', async () => {
    const { c, state, apiKey, requestId } = await requested();
    expect(await callback(apiKey, { requestId, requestStatus: 'request_retrieved', state })).toEqual({ status: 200, message: 'Recorded.' });
    w.clock.advanceMinutes(1);
    const body = { requestId, requestStatus: 'presentation_verified', state, subject: 'did:ion:attacker-or-user', verifiedCredentialsData: [credential()] };
    expect(await callback(apiKey, body)).toEqual({ status: 200, message: 'Recorded.' });
    const after = await w.stored(c.id);
    expect(after.identityVerification).toMatchObject({ kind: 'verifiedId', method: 'Verified ID with Face Check', by: megan });
    expect(after.steps?.s03?.status).toBe('done');
    expect(after.steps?.s04?.status).toBe('waiting');
    expect(after.verification?.attempts[0]?.decision?.rules.every((r) => r.passed)).toBe(true);
    expect(after.verification?.attempts[0]?.evidence).toMatchObject({
      issuer: TEST_POLICY.acceptedIssuers[0],
      matchConfidenceScore: 91.5,
      linkedDomain: 'contoso.com',
    });
    const kept = await everythingKept(c.id);
    expect(kept).not.toContain(PHOTO);
    expect(kept).not.toContain('did:ion:attacker-or-user');
    expect(kept).not.toContain('Vance","givenName');
    expect(await w.journal(c.id)).toEqual(
      expect.arrayContaining(['The user opened the Verified ID request', 'Verified ID passed', 'Identity verified: Verified ID with Face Check']),
    );
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a card issued after the compromise began', { issuanceDate: '2026-11-17T12:00:00Z' }, /issued during or after the compromise/],
    ['a revoked card', { credentialState: { revocationStatus: 'REVOKED' } }, /revocation status is not VALID/],
    ['another issuer\u2019s card', { issuer: 'did:web:attacker.example' }, /issuer the bot does not accept/],
    ['a face match below the threshold', { faceCheck: { matchConfidenceScore: 72 } }, /face match 72 \(threshold 85\)/],
    ['another user\u2019s card', { claims: { revocationId: 'lee@contoso.com', photo: PHOTO } }, /does not name the user being recovered/],
  ])('a presentation of %s fails with that rule shown, and unlocks nothing', async (_label, over, why) => {
    const { c, state, apiKey, requestId } = await requested();
    expect(await callback(apiKey, { requestId, requestStatus: 'presentation_verified', state, verifiedCredentialsData: [credential(over)] })).toMatchObject({
      status: 200,
    });
    const after = await w.stored(c.id);
    expect(after.identityVerification).toBeUndefined();
    expect(after.steps?.s03?.status).toBe('waiting');
    expect(after.verification?.attempts[0]).toMatchObject({ status: 'failed', failure: expect.stringMatching(why) });
    expect(await everythingKept(c.id)).not.toContain(PHOTO);
  });

  it('a presentation_error (Face Check below the service threshold) fails the attempt', async () => {
    const { c, state, apiKey, requestId } = await requested();
    const body = {
      requestId,
      requestStatus: 'presentation_error',
      state,
      error: { code: 'claimValidationError', message: 'Match confidence score failing to meet the threshold.' },
    };
    expect(await callback(apiKey, body)).toMatchObject({ status: 200 });
    expect((await w.stored(c.id)).verification?.attempts[0]).toMatchObject({ status: 'failed', failure: expect.stringContaining('claimValidationError') });
  });

  describe('attacks on the callback', () => {
    it('refuses a wrong or missing key (401) and journals it, changing nothing else', async () => {
      const { c, state, apiKey, requestId } = await requested();
      const body = { requestId, requestStatus: 'presentation_verified', state, verifiedCredentialsData: [credential()] };
      expect(await callback(undefined, body)).toMatchObject({ status: 401 });
      expect(await callback(`${apiKey}x`, body)).toMatchObject({ status: 401 });
      expect(await callback(apiKey.slice(1), body)).toMatchObject({ status: 401 });
      const after = await w.stored(c.id);
      expect(after.identityVerification).toBeUndefined();
      expect(after.verification?.attempts[0]?.status).toBe('requested');
      expect(after.journal.filter((j) => j.event === 'Refused: Verified ID callback with a wrong or missing key')).toHaveLength(3);
    });

    it('refuses an unknown state, another case\u2019s state, a forged state with a real case id, and another request id (400)', async () => {
      const first = await requested();
      const other = await new CaseWorld().open(USERS.lee.upn).catch(() => undefined);
      expect(other).toBeDefined();
      const body = (state: string, requestId = first.requestId): unknown => ({
        requestId,
        requestStatus: 'presentation_verified',
        state,
        verifiedCredentialsData: [credential()],
      });
      expect(await callback(first.apiKey, body('no-dot-state'))).toMatchObject({ status: 400 });
      expect(await callback(first.apiKey, body(`${first.c.id}.forged-random-part`))).toMatchObject({ status: 400 });
      expect(await callback(first.apiKey, body(`RC-00000000.${first.state.split('.')[1] ?? ''}`))).toMatchObject({ status: 400 });
      expect(await callback(first.apiKey, body(first.state, 'vid-9999'))).toMatchObject({ status: 400 });
      expect((await w.stored(first.c.id)).verification?.attempts[0]?.status).toBe('requested');
    });

    it('answers a replayed or late callback without acting on it again', async () => {
      const { c, state, apiKey, requestId } = await requested();
      const failed = {
        requestId,
        requestStatus: 'presentation_verified',
        state,
        verifiedCredentialsData: [credential({ faceCheck: { matchConfidenceScore: 50 } })],
      };
      expect(await callback(apiKey, failed)).toMatchObject({ status: 200, message: 'Recorded.' });
      // The replay of a passing presentation for the same, already failed, request changes nothing.
      const passing = { requestId, requestStatus: 'presentation_verified', state, verifiedCredentialsData: [credential()] };
      expect(await callback(apiKey, passing)).toMatchObject({ status: 200, message: 'Ignored.' });
      expect((await w.stored(c.id)).identityVerification).toBeUndefined();
      expect(w.logger.lines.map((l) => l.message)).toContain('ignored a Verified ID callback');
    });

    it('closes an attempt whose callback arrives after the expiry and its grace, and ignores the presentation', async () => {
      const { c, state, apiKey, requestId } = await requested();
      w.clock.advanceMinutes(6.01);
      const body = { requestId, requestStatus: 'presentation_verified', state, verifiedCredentialsData: [credential()] };
      expect(await callback(apiKey, body)).toMatchObject({ status: 200, message: 'Recorded.' });
      const after = await w.stored(c.id);
      expect(after.identityVerification).toBeUndefined();
      expect(after.verification?.attempts[0]?.status).toBe('expired');
      expect(after.journal.at(-1)).toMatchObject({ event: 'Verified ID request expired', detail: 'A callback arrived after the expiry and was ignored.' });
    });

    it('refuses bodies that are not callbacks, and drops everything but the fields the rules read', () => {
      for (const bad of [
        null,
        [],
        'x',
        {},
        { requestId: 'r', state: 's', requestStatus: 'issuance_successful' },
        { requestId: 1, state: 's', requestStatus: 'request_retrieved' },
      ])
        expect(readCallback(bad)).toBeUndefined();
      const read = readCallback({
        requestId: 'r',
        state: 's',
        requestStatus: 'presentation_verified',
        receipt: { id_token: 'jwt' },
        verifiedCredentialsData: [credential()],
      });
      expect(JSON.stringify(read)).not.toContain(PHOTO);
      expect(JSON.stringify(read)).not.toContain('jwt');
      expect(read?.credential?.claims).toEqual({ displayName: true, givenName: true, surname: true, mail: true, revocationId: USERS.adele.upn, photo: true });
    });
  });
});
