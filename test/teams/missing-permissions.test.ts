import type { Activity } from 'botbuilder';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../src/simulator/auth/demo-app';
import type { TenantState } from '../../src/simulator';
import { Verb } from '../../src/views/verbs';
import { BotHarness, repliesText } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';

/** Everything the bot said: replies in turns, invoke responses, and what it posted or edited in the thread. */
function everythingSaid(bot: BotHarness): string {
  const posted: Partial<Activity>[] = bot.poster.writes.map((w) => w.activity);
  return repliesText([...bot.sent, ...posted]);
}

/** The directory as the recovery flows can change it: users, deleted users, methods, sessions, passwords. */
function directorySnapshot(tenant: TenantState): string {
  return JSON.stringify({
    users: [...tenant.users.values()].map((u) => [u.id, u.accountEnabled, u.signInSessionsValidFromDateTime, u.passwordReset]),
    deleted: [...tenant.deletedUsers.keys()].sort(),
    methods: [...tenant.methods.entries()].map(([id, list]) => [id, list.map((m) => m.id).sort()]),
  });
}

type Flow = 'recover' | 'execute' | 'readiness';

/** How the bot says Graph refused: a step's or intake's advice, or a readiness check it could not read. */
const DENIED = /refused to let the bot|Cannot read: needs/;

/** Drives one flow through the real Application, over HTTP to the simulated tenant. */
async function run(bot: BotHarness, flow: Flow): Promise<void> {
  if (flow === 'recover') {
    await bot.send(`recover ${USERS.lee.upn}`);
  } else if (flow === 'readiness') {
    await bot.send('readiness');
  } else {
    const c = await bot.caseAwaitingApproval(USERS.lee.upn, 'malicious');
    await bot.click(Verb.approve, { caseId: c.id, version: c.version, comment: 'Called Lee on his desk phone' }, { from: USERS.alex });
  }
}

/**
 * Which flow first needs each permission of the default grant, and what happens without it. A permission that another
 * granted one covers (a higher-privileged alternative the Graph reference lists) changes nothing: the flow succeeds.
 */
const CASES: readonly { permission: string; flow: Flow; coveredBy?: string }[] = [
  { permission: 'User.Read.All', flow: 'recover', coveredBy: 'User.ReadWrite.All' },
  { permission: 'GroupMember.Read.All', flow: 'recover', coveredBy: 'Directory.Read.All' },
  { permission: 'AuditLog.Read.All', flow: 'recover' },
  { permission: 'Directory.Read.All', flow: 'recover' },
  { permission: 'RoleManagement.Read.Directory', flow: 'readiness' },
  { permission: 'Policy.Read.All', flow: 'readiness' },
  { permission: 'UserAuthenticationMethod.ReadWrite.All', flow: 'recover' },
  { permission: 'User-PasswordProfile.ReadWrite.All', flow: 'execute', coveredBy: 'User.ReadWrite.All' },
  { permission: 'User.RevokeSessions.All', flow: 'execute' },
  { permission: 'RoleEligibilitySchedule.Read.Directory', flow: 'readiness', coveredBy: 'RoleManagement.Read.Directory' },
  { permission: 'User.DeleteRestore.All', flow: 'recover', coveredBy: 'User.ReadWrite.All' },
  { permission: 'User.ReadWrite.All', flow: 'recover', coveredBy: 'User.Read.All' },
];

describe('the bot with one permission of the default grant removed (simulated tenant enforcing permissions)', () => {
  it('covers every permission of the default grant', () => {
    expect(CASES.map((c) => c.permission).sort()).toEqual([...DEFAULT_GRANTED_PERMISSIONS].sort());
  });

  it.each(CASES)('without $permission: the $flow flow', async ({ permission, flow, coveredBy }) => {
    const bot = await BotHarness.start(undefined, undefined, { simulator: { grantedPermissions: DEFAULT_GRANTED_PERMISSIONS.filter((p) => p !== permission) } });
    try {
      const before = directorySnapshot(bot.simulator.tenant);
      await run(bot, flow);
      const said = everythingSaid(bot);
      if (coveredBy) {
        expect(bot.simulator.tenant.callerApp.grantedPermissions).toContain(coveredBy);
        expect(said).not.toMatch(DENIED);
        return;
      }
      expect(said).toMatch(DENIED);
      expect(said).toContain(permission);
      if (flow !== 'execute') expect(directorySnapshot(bot.simulator.tenant)).toBe(before);
    } finally {
      await bot.stop();
    }
  });
});
