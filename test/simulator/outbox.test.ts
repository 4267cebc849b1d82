import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { USERS } from '../helpers/demo-ids';
import { appToken } from '../helpers/simulator-token';
import { pinnedClock } from '../helpers/test-clock';

/** sendMail's outbox: what the simulated tenant accepted, for tests (GET /_simulator/outbox) and people (the admin page). */
describe('the simulated tenant’s outbox', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, now: pinnedClock() });
  });
  afterEach(async () => sim.close());

  it('keeps each accepted mail and shows it on the admin page, escaped', async () => {
    const token = await appToken(sim.url);
    const send = await fetch(`${sim.url}/v1.0/users/${USERS.patti.upn}/sendMail`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        message: {
          subject: 'Recovery <requested>',
          body: { contentType: 'Text', content: 'Call security.' },
          toRecipients: [{ emailAddress: { address: 'a@example.com' } }],
        },
      }),
    });
    expect(send.status).toBe(202);
    expect(await send.text()).toBe('');
    const outbox = (await (await fetch(`${sim.url}/_simulator/outbox`)).json()) as { value: Array<{ subject: string; from: string }> };
    expect(outbox.value).toEqual([expect.objectContaining({ subject: 'Recovery <requested>', from: USERS.patti.upn })]);
    const page = await (await fetch(`${sim.url}/_simulator/admin`)).text();
    expect(page).toContain('Outbox (sendMail)');
    expect(page).toContain('Recovery &lt;requested&gt;');
    expect(page).not.toContain('Recovery <requested>');
  });
});
