import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { createBotApp, reportTurnError } from '../../src/teams/bot-app';
import type { BotDeps } from '../../src/teams/bot-deps';
import { BotHarness, recordingLogger, type LogLine } from '../helpers/bot-harness';
import { TENANT_ID, USERS } from '../helpers/demo-ids';

describe('the turn-error handler', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await BotHarness.start();
  });
  afterAll(async () => {
    await bot.stop();
  });

  async function run(deps: BotDeps, activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const app = createBotApp(deps);
    const adapter = new TestAdapter(async (context) => {
      await app.run(context);
    });
    adapter.onTurnError = (context, error) => reportTurnError(deps, context, error, () => 'ERR-0000BEEF');
    await adapter.processActivity(activity, async (context) => {
      await app.run(context);
    });
    return adapter.activeQueue.splice(0);
  }

  const base = {
    id: 'activity-42',
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/',
    from: { id: `29:${USERS.megan.id}`, name: USERS.megan.name, aadObjectId: USERS.megan.id },
    recipient: { id: '28:bot', name: 'Entra Recovery' },
    conversation: { id: '19:recoveries@thread.tacv2;messageid=1', isGroup: true, conversationType: 'channel', tenantId: TENANT_ID, name: 'Recoveries' },
  };

  it('logs the failure under a correlation id and posts only that id, never the error text or a stack', async () => {
    const logs: LogLine[] = [];
    const deps: BotDeps = {
      ...bot.deps(),
      logger: recordingLogger(logs),
      openCase: () => Promise.reject(new Error('secret detail: P@ssw0rd! and a Graph body')),
    };
    const replies = await run(deps, { ...base, type: 'message', text: 'recover adele@contoso.com' });
    expect(replies.map((r) => r.text)).toEqual([
      'Something went wrong on my side (reference ERR-0000BEEF). Check the case with "status" and its case id before you try again; give the reference to your administrator if it happens again.',
    ]);
    expect(JSON.stringify(replies)).not.toMatch(/P@ssw0rd|Graph body|at .*\.ts:\d+/);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'turn failed',
        fields: expect.objectContaining({ correlationId: 'ERR-0000BEEF', activityId: 'activity-42', stack: expect.stringContaining('Error: secret detail') }),
      }),
    );
  });

  it('gives each failure its own correlation id by default', async () => {
    const logs: LogLine[] = [];
    const deps: BotDeps = { ...bot.deps(), logger: recordingLogger(logs) };
    const texts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const adapter = new TestAdapter(() => Promise.reject(new Error('boom')));
      adapter.onTurnError = (context, error) => reportTurnError(deps, context, error);
      await adapter.processActivity({ ...base, type: 'message', text: 'help' }, () => Promise.reject(new Error('boom')));
      texts.push(...adapter.activeQueue.splice(0).map((r) => r.text ?? ''));
    }
    const ids = texts.map((t) => /\(reference (ERR-[0-9A-F]{8})\)/.exec(t)?.[1]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBeDefined();
    expect(ids[0]).not.toBe(ids[1]);
    expect(logs.filter((l) => l.message === 'turn failed').map((l) => l.fields?.correlationId)).toEqual(ids);
  });

  it('still logs when Teams refuses the error message itself', async () => {
    const logs: LogLine[] = [];
    const deps: BotDeps = { ...bot.deps(), logger: recordingLogger(logs) };
    const context = {
      activity: { ...base, type: 'message' },
      turnState: new Map(),
      sendActivity: () => Promise.reject(new Error('HTTP 403')),
    } as unknown as TurnContext;
    await reportTurnError(deps, context, new Error('boom'), () => 'ERR-00000001');
    expect(logs.map((l) => [l.message, l.fields?.correlationId])).toEqual([
      ['turn failed', 'ERR-00000001'],
      ['could not report a turn error to the conversation', 'ERR-00000001'],
    ]);
  });

  it('answers a failing card click with an error invoke response', async () => {
    const logs: LogLine[] = [];
    const real = bot.deps();
    const deps: BotDeps = { ...real, logger: recordingLogger(logs), actions: { ...real.actions!, get: () => Promise.reject(new Error('storage down')) } };
    const replies = await run(deps, {
      ...base,
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: {
          type: 'Action.Execute',
          verb: 'case.approve',
          data: {
            caseId: 'RC-00000001',
            version: 1,
            sig: bot.signer.sign({ tenantId: TENANT_ID, conversationId: base.conversation.id, caseId: 'RC-00000001', version: 1 }),
          },
        },
        trigger: 'manual',
      },
    });
    const response = replies.find((r) => r.type === 'invokeResponse');
    expect((response?.value as { body: unknown }).body).toMatchObject({
      statusCode: 500,
      type: 'application/vnd.microsoft.error',
      value: { code: 'BOT.ERROR' },
    });
    expect(JSON.stringify(replies)).not.toContain('storage down');
  });
});
