import { createVerifiedIdService } from '../../src/entra/verified-id-client';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { simulatorCredential } from '../helpers/simulator-token';
import { TEST_NOW } from '../helpers/test-clock';
import { simulatorVerifiedIdSettings, startCallbackReceiver, type CallbackReceiver } from '../helpers/verified-id';

const API_KEY = 'api-key-admin-page-0123456789abcdef';

/** The admin page's Verified ID section: a person plays the user with buttons a browser test finds by id or text. */
describe('simulator admin page: Verified ID presentation requests', () => {
  let sim: RunningSimulator;
  let receiver: CallbackReceiver;
  let counter = 0;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: () => TEST_NOW });
    receiver = await startCallbackReceiver();
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  const page = async (): Promise<string> => (await fetch(`${sim.url}/_simulator/admin`)).text();
  const rowOf = (html: string, requestId: string): string => html.split(`id="vid-request-${requestId}"`)[1]?.split('</tr>')[0] ?? '';
  /** The fields of the form with this id, as a browser would submit them. */
  const fieldsOf = (html: string, formId: string): { action: string; fields: Record<string, string> } => {
    const form = html.split(`id="${formId}"`)[0]?.split('<form').at(-1) ?? '';
    const body = html.split(`id="${formId}"`)[1]?.split('</form>')[0] ?? '';
    const fields = Object.fromEntries([...body.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    return { action: /action="([^"]+)"/.exec(form)?.[1] ?? '', fields };
  };
  const submit = async (html: string, formId: string, extra: Record<string, string> = {}): Promise<Response> => {
    const { action, fields } = fieldsOf(html, formId);
    const res = await fetch(`${sim.url}${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: sim.url },
      body: new URLSearchParams({ ...fields, ...extra }).toString(),
    });
    await sim.verifiedId.callbacks.idle();
    return res;
  };
  async function request(upn: string): Promise<string> {
    counter += 1;
    const service = createVerifiedIdService(
      simulatorVerifiedIdSettings(sim, receiver.url),
      simulatorCredential(sim.url, () => TEST_NOW),
    );
    return (await service.createPresentationRequest({ state: `state-admin-${counter}-0123456789`, apiKey: API_KEY, userPrincipalNames: [upn] })).requestId;
  }

  it('shows each scenario the target\u2019s wallet allows, by stable ids and texts, and never the api-key or the state', async () => {
    const lee = await request('lee@contoso.com');
    const adele = await request('adele@contoso.com');
    const html = await page();
    const leeRow = rowOf(html, lee);
    for (const [id, text] of [
      ['retrieve', 'Open the link'],
      ['present', 'Present my card with this face match'],
      ['face-fail', 'Fail the face check'],
      ['revoked', 'Present a revoked card'],
      ['after-compromise', 'Present a card issued after the compromise'],
      ['other-issuer', 'Present another issuer\u2019s card'],
      ['expire', 'Never answer'],
    ] as const) {
      expect(leeRow).toContain(`id="vid-${id}-${lee}"`);
      expect(leeRow).toContain(text);
    }
    expect(fieldsOf(html, `vid-after-compromise-${lee}`).fields).toEqual({ cardId: 'lee-employee-in-window', faceScore: '92' });
    expect(fieldsOf(html, `vid-revoked-${lee}`).fields.cardId).toBe('lee-employee-revoked');
    expect(fieldsOf(html, `vid-other-issuer-${lee}`).fields.cardId).toBe('lee-other-issuer');
    // Below the threshold of 85.
    expect(fieldsOf(html, `vid-face-fail-${lee}`).fields).toEqual({ cardId: 'lee-employee', faceScore: '60' });
    // Adele's wallet holds only her own card: no revoked, later or foreign one to offer.
    const adeleRow = rowOf(html, adele);
    expect(adeleRow).toContain(`id="vid-face-fail-${adele}"`);
    for (const id of ['revoked', 'after-compromise', 'other-issuer']) expect(adeleRow).not.toContain(`id="vid-${id}-${adele}"`);
    expect(html).not.toContain(API_KEY);
    expect(html).not.toContain('state-admin-');
    expect(html).not.toMatch(/<script|\bsrc=|\bhref=|https?:\/\//i);
  });

  it('its buttons send the callbacks and come back to the page; a closed request has no buttons', async () => {
    const lee = await request('lee@contoso.com');
    let html = await page();
    const opened = await submit(html, `vid-retrieve-${lee}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/_simulator/admin?notice=${encodeURIComponent('Sent request_retrieved to the bot.').replace(/%20/g, '+')}`);
    html = await page();
    expect(rowOf(html, lee)).toContain('request_retrieved at 2026-11-18 12:00 UTC: 200');
    await submit(html, `vid-present-${lee}`, { cardId: 'lee-employee', faceScore: '88' });
    expect(receiver.received.map((c) => c.body.requestStatus)).toEqual(['request_retrieved', 'presentation_verified']);
    html = await page();
    expect(rowOf(html, lee)).toContain('closed');
    expect(rowOf(html, lee)).not.toContain('<form');
  });

  it('"Fail the face check" and "Never answer" do what they say', async () => {
    const failing = await request('lee@contoso.com');
    const silent = await request('lee@contoso.com');
    const html = await page();
    await submit(html, `vid-face-fail-${failing}`);
    expect(receiver.received.map((c) => c.body)).toEqual([
      expect.objectContaining({
        requestStatus: 'presentation_error',
        error: { code: 'claimValidationError', message: 'Match confidence score failing to meet the threshold.' },
      }),
    ]);
    const expired = await submit(html, `vid-expire-${silent}`);
    expect(expired.headers.get('location')).toContain('notice=');
    expect(receiver.received).toHaveLength(1);
    expect(rowOf(await page(), silent)).toContain('expired');
  });
});
