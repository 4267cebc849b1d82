import { BotAdapter } from '../../src/teams/bot-adapter';
import { botFrameworkAuth } from '../../src/teams/bot-framework-auth';
import type { BotAuthConfig } from '../../src/config';

/**
 * BOT_OPENID_METADATA_URL moves only where the channel's signing keys are read. botbuilder treats any one cloud setting
 * as a whole custom cloud (the rest default to nothing), so the adapter must end up with exactly botbuilder's own
 * public-cloud values, the metadata URL aside: the issuer it accepts, where it logs in to reply, the caller id.
 */

/** The cloud settings botbuilder resolved inside the adapter (CloudAdapter -> ConfigurationBotFrameworkAuthentication -> inner). */
function resolved(adapter: BotAdapter): Record<string, unknown> {
  const inner = (adapter as unknown as { botFrameworkAuthentication: { inner: Record<string, unknown> } }).botFrameworkAuthentication.inner;
  const fields = ['validateAuthority', 'toChannelFromBotLoginUrl', 'toChannelFromBotOAuthScope', 'toBotFromChannelTokenIssuer', 'oAuthUrl'];
  fields.push('toBotFromChannelOpenIdMetadataUrl', 'toBotFromEmulatorOpenIdMetadataUrl', 'callerId');
  return Object.fromEntries(fields.map((f) => [f, inner[f]]));
}

const LOCAL_KEYS = 'http://127.0.0.1:4000/v1/.well-known/openidconfiguration';
const identities: Exclude<BotAuthConfig, { kind: 'disabled' }>[] = [
  { kind: 'SingleTenant', appId: '11111111-2222-4333-8444-555555555555', tenantId: '66666666-7777-4888-9999-aaaaaaaaaaaa', password: 'not-a-real-password' },
  { kind: 'UserAssignedMSI', appId: '11111111-2222-4333-8444-555555555555', tenantId: '66666666-7777-4888-9999-aaaaaaaaaaaa' },
];

describe('botFrameworkAuth: the channel metadata URL replaces only the key source', () => {
  it.each(identities)('$kind: without the variable, botbuilder picks the public cloud itself', (bot) => {
    const defaults = resolved(new BotAdapter(botFrameworkAuth(bot)));
    expect(defaults.toBotFromChannelTokenIssuer).toBe('https://api.botframework.com');
    expect(defaults.toBotFromChannelOpenIdMetadataUrl).toBe('https://login.botframework.com/v1/.well-known/openidconfiguration');
    expect(Object.keys(botFrameworkAuth(bot))).not.toContain('ToBotFromChannelOpenIdMetadataUrl');
  });

  it.each(identities)('$kind: with it, every other value is botbuilder\u2019s public-cloud default', (bot) => {
    const defaults = resolved(new BotAdapter(botFrameworkAuth(bot)));
    const moved = resolved(new BotAdapter(botFrameworkAuth({ ...bot, channelOpenIdMetadataUrl: LOCAL_KEYS })));
    expect(moved).toEqual({ ...defaults, toBotFromChannelOpenIdMetadataUrl: LOCAL_KEYS });
  });

  it('keeps the identity: app id, type, tenant and (SingleTenant) the password', () => {
    const [singleTenant] = identities;
    const settings = botFrameworkAuth({ ...singleTenant!, channelOpenIdMetadataUrl: LOCAL_KEYS });
    expect(settings).toMatchObject({ MicrosoftAppId: singleTenant!.appId, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: singleTenant!.tenantId });
    expect(settings.MicrosoftAppPassword).toBe('not-a-real-password');
    expect(botFrameworkAuth({ kind: 'disabled' })).toEqual({});
  });
});
