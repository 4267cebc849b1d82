import { spawnBot, waitFor } from '../helpers/spawn-bot';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const GROUP = '3c0d9e51-1000-4b2a-8f00-00000000a001';

describe('the bot entry point (src/index.ts)', () => {
  it('refuses to start in production mode without MicrosoftAppId, naming it, and exits non-zero', async () => {
    const { exited } = spawnBot({ BOT_MODE: 'production', PORT: '0' });
    const result = await exited;
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('MicrosoftAppId');
  });

  it('in production mode answers an unauthenticated POST /api/messages with 401, and /healthz with 200', async () => {
    const { child, exited, output } = spawnBot({
      BOT_MODE: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppPassword: 'not-a-real-secret',
      GRAPH_AUTH: 'clientSecret',
      GRAPH_CLIENT_ID: APP_ID,
      GRAPH_CLIENT_SECRET: 'not-a-real-secret',
      HELPDESK_GROUP_IDS: GROUP,
      APPROVER_GROUP_IDS: GROUP,
      PRIVILEGED_APPROVER_GROUP_IDS: GROUP,
      CARD_SIGNING_KEY: 'a-test-signing-key-that-is-long-enough-0123456789',
    });
    try {
      // PORT=0 picks a free port; the bot logs the URL it listens on.
      const listening = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/;
      await waitFor(() => Promise.resolve(listening.test(output())), 'the bot to listen').catch((e: Error) => {
        throw new Error(`${e.message}\n${output()}`);
      });
      const base = listening.exec(output())?.[1] ?? '';
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', mode: 'production' });
      const forged = {
        type: 'message',
        id: 'a1',
        text: 'recover adele@contoso.com',
        channelId: 'msteams',
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        from: { id: '29:forged', aadObjectId: '9a1b7c20-0001-4e8a-9c11-000000000001', name: 'Forged' },
        conversation: { id: '19:x@thread.tacv2', tenantId: TENANT },
        recipient: { id: `28:${APP_ID}`, name: 'bot' },
      };
      const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forged) });
      expect(res.status).toBe(401);
      const withBadToken = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.jwt' },
        body: JSON.stringify(forged),
      });
      expect(withBadToken.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      const result = await exited;
      expect(result.code).toBe(0);
    }
  });
});
