import { loadDemoSeed, startSimulator, type RunningSimulator } from '../../src/simulator';
import { fixedClock, graph, ID } from './graph-client';
import { appToken } from '../helpers/simulator-token';

const page = async (sim: RunningSimulator, query = '') => {
  const res = await fetch(`${sim.url}/_simulator/admin${query}`);
  return { status: res.status, headers: res.headers, text: await res.text() };
};
const postForm = (sim: RunningSimulator, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${sim.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
/** The table row of one user. */
const rowOf = (html: string, id: string): string => html.split(`id="user-${id}"`)[1]?.split('</tr>')[0] ?? '';

describe('simulator control: the admin page', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    const seed = loadDemoSeed();
    seed.users.find((u) => u.id === ID.johanna)!.displayName = '<script>alert("x")</script> & Johanna';
    sim = await startSimulator({ port: 0, now: fixedClock, seed });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await graph(sim, '/_simulator/reset', { version: '', method: 'POST', headers: {} });
  });

  it('lists active and soft-deleted users with their methods, self-contained', async () => {
    const res = await page(sim);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.text).toContain('<title>Simulated Entra admin center — demo only</title>');
    expect(res.text).toContain('Adele Vance');
    expect(rowOf(res.text, ID.adele)).toContain('Adele&#39;s YubiKey');
    expect(rowOf(res.text, ID.diego)).toContain('Soft-deleted 2025-06-15 15:22 UTC');
    expect(rowOf(res.text, ID.diego)).toContain('DIEGO-LAPTOP');
    expect(res.text).not.toMatch(/<script|\bsrc=|\bhref=|https?:\/\//i);
  });

  it('offers a restore only where a snapshot exists, and every human step per active user', async () => {
    const { text } = await page(sim);
    expect(rowOf(text, ID.adele)).toContain(`action="/_simulator/backup/users/${ID.adele}/restore"`);
    expect(rowOf(text, ID.adele)).toContain('Restore from backup');
    expect(rowOf(text, ID.megan)).not.toContain('Restore from backup');
    expect(rowOf(text, ID.diego)).not.toContain('Restore from backup');
    expect(rowOf(text, ID.lee).match(/Restore from backup/g)).toHaveLength(2);
    expect(rowOf(text, ID.megan)).toContain(`action="/_simulator/users/${ID.megan}/sign-in"`);
    expect(rowOf(text, ID.megan)).toContain('User signs in (FIDO2 / TAP / Authenticator)');
    expect(rowOf(text, ID.megan)).toContain('User registers a FIDO2 key');
  });

  it('escapes every value it shows', async () => {
    const { text } = await page(sim, `?notice=${encodeURIComponent('<img onerror="x">')}`);
    expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Johanna');
    expect(text).toContain('&lt;img onerror=&quot;x&quot;&gt;');
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('<img');
  });

  it('answers a form post with 303 back to the page, saying what happened', async () => {
    const restored = await postForm(sim, `/_simulator/backup/users/${ID.adele}/restore`, {});
    expect(restored.status).toBe(303);
    const location = restored.headers.get('location') ?? '';
    expect(location).toMatch(/^\/_simulator\/admin\?notice=/);
    expect(sim.tenant.methods.get(ID.adele)).toHaveLength(5);
    const after = await page(sim, location.slice('/_simulator/admin'.length));
    expect(after.text).toContain(
      'Adele Vance, backup of 2025-06-17T03:00:00.000Z: restored a7c0de11-0004-4a1b-9c2d-000000000004, 3179e48a-750b-4051-897c-87b9720928f7.',
    );

    const registered = await postForm(sim, `/_simulator/users/${ID.lee}/register-method`, { type: 'fido2', displayName: '' });
    expect(registered.status).toBe(303);
    expect(sim.tenant.methods.get(ID.lee)?.some((m) => m.type === 'fido2' && m.displayName === 'Security key')).toBe(true);

    const before = sim.tenant.signIns.length;
    const signedIn = await postForm(sim, `/_simulator/users/${ID.lee}/sign-in`, { method: 'fido2', temporaryAccessPass: '' });
    expect(signedIn.status).toBe(303);
    expect(decodeURIComponent(signedIn.headers.get('location') ?? '').replace(/\+/g, ' ')).toContain('Lee Gu signed in with fido2: succeeded.');
    expect(sim.tenant.signIns.slice(before)).toEqual([expect.objectContaining({ userId: ID.lee, status: expect.objectContaining({ errorCode: 0 }) })]);
  });

  it("shows the app's granted permissions and changes them from a form post (one per line)", async () => {
    const before = await page(sim, '');
    expect(before.text).toContain('<textarea name="grantedPermissions"');
    expect(before.text).toContain('UserAuthenticationMethod.ReadWrite.All');
    const changed = await postForm(sim, '/_simulator/app/permissions', { grantedPermissions: 'User.Read.All\nAuditLog.Read.All' });
    expect(changed.status).toBe(303);
    expect(sim.tenant.callerApp.grantedPermissions).toEqual(['User.Read.All', 'AuditLog.Read.All']);
    const refused = await postForm(sim, '/_simulator/app/permissions', { grantedPermissions: 'not a permission' });
    expect(new URL(refused.headers.get('location') ?? '', sim.url).searchParams.get('error')).toMatch(/Invalid grants/);
    expect(sim.tenant.callerApp.grantedPermissions).toEqual(['User.Read.All', 'AuditLog.Read.All']);
  });

  it('sends a failed form post back with the error, and refuses a form from another site', async () => {
    const failed = await postForm(sim, `/_simulator/backup/users/${ID.megan}/restore`, {});
    expect(failed.status).toBe(303);
    expect(new URL(failed.headers.get('location') ?? '', sim.url).searchParams.get('error')).toMatch(/No backup of user/);
    const foreign = await postForm(sim, `/_simulator/users/${ID.lee}/register-method`, { type: 'fido2' }, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    // An opaque origin (a sandboxed frame, or a page under Referrer-Policy no-referrer) is not this host either.
    const opaque = await postForm(sim, `/_simulator/users/${ID.lee}/register-method`, { type: 'fido2' }, { Origin: 'null' });
    expect(opaque.status).toBe(403);
    expect(sim.tenant.methods.get(ID.lee)?.some((m) => m.type === 'fido2')).toBe(false);
  });

  it("lets a browser send its origin with the page's own form posts (same-origin referrer policy, not no-referrer)", async () => {
    const res = await page(sim, '');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('keeps Graph itself JSON-only: a form body is not valid JSON there', async () => {
    const res = await graph(sim, `/users/${ID.lee}`, {
      method: 'PATCH',
      body: 'jobTitle=CEO',
      headers: { Authorization: `Bearer ${await appToken(sim.url)}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Unable to read JSON request payload/);
  });
});
