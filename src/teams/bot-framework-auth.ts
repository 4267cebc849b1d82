import { CallerIdConstants } from 'botbuilder';
import type { BotAuthConfig } from '../config';

/**
 * The public cloud's Bot Framework endpoints, as botbuilder 4.23 uses them when none is configured
 * (botframework-connector AuthenticationConstants; the default branch of BotFrameworkAuthenticationFactory.create).
 * botbuilder reads any one of these settings as "the whole cloud is configured": the others then default to nothing,
 * not to the public cloud (no issuer to accept, no login URL to reply with). So when one is overridden, all are given.
 * The Azure Bot docs set them together the same way for other clouds:
 * https://docs.azure.cn/en-us/bot-service/how-to-deploy-china-cloud and
 * https://learn.microsoft.com/en-us/azure/bot-service/how-to-deploy-gov-cloud-high.
 * test/teams/bot-framework-auth.test.ts checks them against botbuilder's own defaults.
 */
const PUBLIC_CLOUD = {
  ValidateAuthority: 'true',
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: CallerIdConstants.PublicAzureChannel,
} as const;

/**
 * The settings for botbuilder's ConfigurationBotFrameworkAuthentication (through the Teams adapter): the bot's identity
 * and, when BOT_OPENID_METADATA_URL is set, the public cloud with only the channel's key source replaced.
 */
export function botFrameworkAuth(bot: BotAuthConfig): Record<string, string> {
  if (bot.kind === 'disabled') return {};
  const identity: Record<string, string> =
    bot.kind === 'SingleTenant'
      ? { MicrosoftAppId: bot.appId, MicrosoftAppPassword: bot.password, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: bot.tenantId }
      : { MicrosoftAppId: bot.appId, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: bot.tenantId };
  if (!bot.channelOpenIdMetadataUrl) return identity;
  return { ...identity, ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: bot.channelOpenIdMetadataUrl };
}
