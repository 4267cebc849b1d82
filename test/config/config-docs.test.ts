import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig, parseDemoLauncherConfig } from '../../src/config';
import { envExample, variableTable, VARIABLES_START, withVariableTable } from '../../src/config-docs';
import { CONFIG_VARIABLES, type VariableName } from '../../src/config-variables';
import { CONFIGURATION_DOC, ENV_EXAMPLE } from '../../scripts/docs-config';

/**
 * Issue 16: the variable list existed in four copies that had drifted (README, docs/deploy.md, .env.example, the code).
 * Now src/config-variables.ts is the one list: src/config.ts reads only names from it (its type says so), and the table
 * and .env.example are generated from it. These tests fail when a copy differs, when a listed variable is read nowhere,
 * or when a documented default is not the one the code applies.
 */
describe('the one list of configuration variables', () => {
  it('docs/configuration.md has exactly the generated table (run `npm run docs:config` after changing the list)', () => {
    const doc = readFileSync(CONFIGURATION_DOC, 'utf8');
    expect(withVariableTable(doc)).toBe(doc);
    expect(() => withVariableTable('# no table')).toThrow(/has no <!-- variables:start/);
    const edited = doc.replace('| `PORT` | both | 3978 |', '| `PORT` | both | 8080 |');
    expect(withVariableTable(edited)).not.toBe(edited);
    expect(variableTable().startsWith(VARIABLES_START)).toBe(true);
  });

  it('.env.example is exactly the generated file and names every variable once', () => {
    const file = readFileSync(ENV_EXAMPLE, 'utf8');
    expect(envExample()).toBe(file);
    for (const v of CONFIG_VARIABLES) expect(file.match(new RegExp(`^(# )?${v.name}=$`, 'gm'))).toHaveLength(1);
  });

  it('every listed variable is read by src/config.ts, and no variable is listed twice', () => {
    const source = readFileSync(join(__dirname, '..', '..', 'src', 'config.ts'), 'utf8');
    const names = CONFIG_VARIABLES.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    const unread = names.filter((n) => !source.includes(`'${n}'`));
    expect(unread).toEqual([]);
  });

  it('the documented defaults are the ones the code applies', () => {
    const demo = parseConfig({ BOT_MODE: 'demo' });
    const applied: Partial<Record<VariableName, string>> = {
      PORT: String(demo.port),
      AUDIT_WINDOW_DAYS: String(demo.auditWindowDays),
      HELPDESK_TIME_ZONE: demo.triage.timeZone,
      WORKING_HOURS: `${String(demo.triage.startHour).padStart(2, '0')}-${demo.triage.endHour}`,
      WORKING_DAYS: `${demo.triage.days[0]}-${demo.triage.days.at(-1)}`,
      READD_WINDOW_MINUTES: String(demo.triage.reAddWindowMinutes),
      APPROVAL_TTL_MINUTES: String(demo.approvalTtlMinutes),
      APPROVAL_REMINDER_MINUTES: String(demo.approvalReminderMinutes),
      INCIDENT_APPROVALS: String(demo.incidentApprovals),
      TAP_LIFETIME_MINUTES: String(demo.tap.lifetimeInMinutes),
      TAP_ONE_TIME: String(demo.tap.isUsableOnce),
      IDENTITY_VERIFICATION_METHODS: demo.identityVerificationMethods.join(', '),
      CASE_SWEEP_SECONDS: String(demo.caseSweepSeconds),
      LOG_LEVEL: demo.logLevel,
      SIMULATOR_URL: demo.graph.baseUrl,
      CLOCK_OFFSET_MS: String(demo.clockOffsetMs),
    };
    const documented = Object.fromEntries(CONFIG_VARIABLES.map((v) => [v.name, v.default]));
    for (const [name, value] of Object.entries(applied)) expect({ name, default: documented[name] }).toEqual({ name, default: value });
  });

  const ranged = CONFIG_VARIABLES.flatMap((v) => ('range' in v && v.range ? [[v.name, v.range[0], v.range[1]] as const] : []));
  const launcher = new Set(['SIMULATOR_PORT', 'PLAYGROUND_PORT']);
  // READINESS_EVERY_HOURS is read only when a readiness channel is set.
  const parse = (name: string, value: number): unknown =>
    launcher.has(name)
      ? parseDemoLauncherConfig({ [name]: String(value) })
      : parseConfig({ BOT_MODE: 'demo', READINESS_CHANNEL: 'channel-recoveries', DATA_DIR: 'data', [name]: String(value) });

  it.each(ranged)('%s: the documented range %i\u2013%i is the enforced one', (name, min, max) => {
    expect(() => parse(name, min)).not.toThrow();
    expect(() => parse(name, max)).not.toThrow();
    for (const outside of [min - 1, max + 1]) {
      let error: unknown;
      try {
        parse(name, outside);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(`${name}: `);
      expect((error as ConfigError).message).toContain(`from ${min} to ${max}`);
    }
  });

  /** A production configuration that parses, so that each value is tried where it is read. */
  const production: Record<string, string> = {
    BOT_MODE: 'production',
    MicrosoftAppId: '11111111-2222-4333-8444-555555555555',
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: '66666666-7777-4888-9999-aaaaaaaaaaaa',
    MicrosoftAppPassword: 'bot-secret',
    GRAPH_AUTH: 'clientSecret',
    GRAPH_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
    GRAPH_CLIENT_SECRET: 'graph-secret',
    GRAPH_CERTIFICATE_PATH: '/etc/bot/graph.pem',
    HELPDESK_GROUP_IDS: '3c0d9e51-1000-4b2a-8f00-00000000a001',
    APPROVER_GROUP_IDS: '3c0d9e51-1000-4b2a-8f00-00000000a002',
    PRIVILEGED_APPROVER_GROUP_IDS: '3c0d9e51-1000-4b2a-8f00-00000000a003',
    CARD_SIGNING_KEY: 'a-test-signing-key-that-is-long-enough-0123456789',
  };
  const listed = CONFIG_VARIABLES.flatMap((v) => ('values' in v && v.values ? [[v.name, v.values] as const] : []));

  it.each(listed)('%s: exactly the documented values %p are accepted', (name, values) => {
    for (const value of values) expect(() => parseConfig({ ...production, [name]: value })).not.toThrow();
    let error: unknown;
    try {
      parseConfig({ ...production, [name]: 'not-a-listed-value' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
  });
});
