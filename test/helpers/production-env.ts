/** The app id, tenant and group the configuration tests' production environment names. */
export const TEST_APP_ID = '11111111-2222-4333-8444-555555555555';
export const TEST_PRODUCTION_TENANT = '66666666-7777-4888-9999-aaaaaaaaaaaa';
export const TEST_GROUP = '3c0d9e51-1000-4b2a-8f00-00000000a001';

/** The smallest environment production mode starts with (a client secret for Graph, one group for every role). */
export function minimalProductionEnv() {
  return {
    BOT_MODE: 'production',
    MicrosoftAppId: TEST_APP_ID,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: TEST_PRODUCTION_TENANT,
    MicrosoftAppPassword: 'bot-secret',
    GRAPH_AUTH: 'clientSecret',
    GRAPH_CLIENT_ID: TEST_APP_ID,
    GRAPH_CLIENT_SECRET: 'graph-secret',
    HELPDESK_GROUP_IDS: TEST_GROUP,
    APPROVER_GROUP_IDS: TEST_GROUP,
    PRIVILEGED_APPROVER_GROUP_IDS: TEST_GROUP,
    CARD_SIGNING_KEY: 'a-test-signing-key-that-is-long-enough-0123456789',
  };
}
