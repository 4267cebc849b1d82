import type { CloudAdapter, TurnContext } from 'botbuilder';
import { ChatNotSent } from '../../src/ports/out-of-band';
import { AdapterPersonalChat } from '../../src/teams/personal-chat';
import { TENANT_ID } from '../helpers/demo-ids';

/**
 * The manager's 1:1 chat when Teams (or the Playground) refuses the message itself: botbuilder's createConversationAsync
 * hands a failure inside its callback to the turn-error handler and returns normally, so without care the notice
 * counted as sent. The fake adapter below behaves as CloudAdapter does (runMiddleware catches and calls onTurnError).
 */
function adapterWhoseSendFails(error: Error): { adapter: CloudAdapter; turnErrors: Error[] } {
  const turnErrors: Error[] = [];
  const adapter = {
    createConversationAsync: async (_appId: string, _channel: string, _url: string, _aud: string, _p: unknown, logic: (c: TurnContext) => Promise<void>) => {
      const context = { sendActivity: () => Promise.reject(error) } as unknown as TurnContext;
      try {
        await logic(context);
      } catch (e) {
        turnErrors.push(e as Error);
      }
    },
  } as unknown as CloudAdapter;
  return { adapter, turnErrors };
}

const via = { tenantId: TENANT_ID, conversationId: '19:x@thread.tacv2;messageid=1', serviceUrl: 'https://smba.example/', channelId: 'msteams' };

describe('AdapterPersonalChat', () => {
  it('reports a message the service refused as not sent, with the status, and leaves the turn-error handler alone', async () => {
    const refused = Object.assign(new Error('User not found'), { name: 'RestError', statusCode: 500 });
    const { adapter, turnErrors } = adapterWhoseSendFails(refused);
    const chat = new AdapterPersonalChat(adapter, 'bot-app-id');
    await expect(
      chat.send(
        { id: 'manager-id', displayName: 'Patti Fernandez', userPrincipalName: 'patti@contoso.com' },
        'A recovery of your report\u2019s account was requested.',
        via,
      ),
    ).rejects.toThrow(new ChatNotSent('the 1:1 chat with Patti Fernandez could not be created (HTTP 500).'));
    expect(turnErrors).toEqual([]);
  });

  it('names the missing installation when Teams answers 403', async () => {
    const { adapter } = adapterWhoseSendFails(Object.assign(new Error('Forbidden'), { statusCode: 403 }));
    await expect(
      new AdapterPersonalChat(adapter, 'bot').send({ id: 'm', displayName: 'Patti Fernandez', userPrincipalName: 'patti@contoso.com' }, 'text', via),
    ).rejects.toThrow(/not installed for them/);
  });
});
