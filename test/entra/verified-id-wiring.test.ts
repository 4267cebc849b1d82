import { BotHarness } from '../helpers/bot-harness';
import { TEST_NOW } from '../helpers/test-clock';

/** The composition root builds the Verified ID service from config.verifiedId with the Graph credential (the demo's: the simulated tenant). */
describe('composeBot wires the Verified ID Request Service', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start(undefined, undefined, { startAt: TEST_NOW });
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('with the demo settings, against the harness\u2019s simulated Request Service, through the same credential as Graph', async () => {
    const wiring = bot.verifiedId;
    expect(wiring?.settings).toMatchObject({ endpoint: `${bot.simulator.url}/verifiedid/v1.0/`, faceMatchThreshold: 85, credentialType: 'VerifiedEmployee' });
    const created = await wiring!.service.createPresentationRequest({
      state: 'state-wiring-0123456789abcdef',
      apiKey: 'key-wiring-0123456789abcdef',
      userPrincipalNames: ['lee@contoso.com'],
    });
    expect(bot.simulator.verifiedId.requests.get(created.requestId)?.request.callback.url).toBe(wiring!.settings.callbackUrl);
    expect(Date.parse(created.expiresAt) - bot.now().getTime()).toBeGreaterThan(299_000 - 5_000);
  });
});
