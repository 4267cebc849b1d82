import {
  extraApprovals,
  helpdeskRisks,
  MAX_REQUIRED_APPROVALS,
  risksNeedingOverride,
  type PastCase,
  type RiskInput,
  type RiskSettings,
} from '../../src/domain/helpdesk-risk';
import { approvalRule } from '../../src/domain/target';
import { TEST_NOW } from '../helpers/test-clock';

const SETTINGS: RiskSettings = {
  cooldownDays: 30,
  burstLimit: 3,
  burstWindowMinutes: 60,
  workingHours: { timeZone: 'UTC', startHour: 7, endHour: 19, days: [1, 2, 3, 4, 5] },
};
const DAY = 86_400_000;
const ago = (ms: number): string => new Date(TEST_NOW.getTime() - ms).toISOString();

const past = (id: string, over: Partial<PastCase> = {}): PastCase => ({
  id,
  openedAt: ago(DAY),
  targetId: 'adele',
  targetName: 'Adele Vance',
  requesterId: 'megan',
  requesterName: 'Megan Bowen',
  outcome: 'executed',
  ...over,
});

const input = (over: Partial<RiskInput> = {}): RiskInput => ({
  caseId: 'RC-NEW00000',
  targetId: 'adele',
  requester: { aadObjectId: 'megan', name: 'Megan Bowen' },
  at: TEST_NOW, // Wednesday 12:00 UTC: inside working hours
  privilege: [],
  targetHistory: [],
  requesterAsTarget: [],
  requesterOpened: [],
  ...over,
});

const codes = (i: RiskInput, s: RiskSettings = SETTINGS): string[] => helpdeskRisks(i, s).map((r) => r.code);

describe('helpdesk-attack rules', () => {
  it('flag nothing for an ordinary request in working hours with no history', () => {
    expect(helpdeskRisks(input(), SETTINGS)).toEqual([]);
  });

  describe('RISK.TARGET_RECENTLY_RECOVERED', () => {
    it('fires for a case that reached execution, or was denied, within the cooldown, naming it; +1 approval', () => {
      for (const outcome of ['executed', 'denied'] as const) {
        const risks = helpdeskRisks(input({ targetHistory: [past('RC-OLD00001', { outcome })] }), SETTINGS);
        expect(risks).toEqual([
          { code: 'RISK.TARGET_RECENTLY_RECOVERED', text: expect.stringContaining('RC-OLD00001'), consequence: { kind: 'raiseApprovals', by: 1 } },
        ]);
        expect(risks[0]!.text).toContain(`${outcome}, opened`);
      }
    });

    it('does not fire at the boundary (exactly the cooldown ago), for cancelled or expired cases, or for this case itself', () => {
      expect(codes(input({ targetHistory: [past('RC-OLD00001', { openedAt: ago(30 * DAY) })] }))).toEqual([]);
      expect(codes(input({ targetHistory: [past('RC-OLD00001', { openedAt: ago(30 * DAY - 1) })] }))).toEqual(['RISK.TARGET_RECENTLY_RECOVERED']);
      expect(codes(input({ targetHistory: [past('RC-OLD00001', { outcome: 'other' })] }))).toEqual([]);
      expect(codes(input({ targetHistory: [past('RC-NEW00000')] }))).toEqual([]);
    });
  });

  describe('RISK.REQUESTER_RECENTLY_RECOVERED', () => {
    const own = past('RC-OWN00001', { targetId: 'megan', targetName: 'Megan Bowen', requesterId: 'diego', requesterName: 'Diego Siciliani' });
    it('fires when the requester’s own account was recovered within the cooldown; +1 approval', () => {
      expect(helpdeskRisks(input({ requesterAsTarget: [own] }), SETTINGS)).toEqual([
        { code: 'RISK.REQUESTER_RECENTLY_RECOVERED', text: expect.stringContaining('RC-OWN00001'), consequence: { kind: 'raiseApprovals', by: 1 } },
      ]);
    });
    it('does not fire at the boundary, for a recovery that never ran, or for someone else’s case', () => {
      expect(codes(input({ requesterAsTarget: [{ ...own, openedAt: ago(30 * DAY) }] }))).toEqual([]);
      expect(codes(input({ requesterAsTarget: [{ ...own, outcome: 'denied' }] }))).toEqual([]);
      expect(codes(input({ requesterAsTarget: [{ ...own, targetId: 'adele' }] }))).toEqual([]);
    });
  });

  describe('RISK.AGENT_BURST', () => {
    const opened = (n: number, ageMs = 60_000): PastCase[] => Array.from({ length: n }, (_, i) => past(`RC-B${i}`, { openedAt: ago(ageMs), outcome: 'other' }));
    it('fires when this case makes more than the limit within the window; needs an override', () => {
      expect(helpdeskRisks(input({ requesterOpened: opened(3) }), SETTINGS)).toEqual([
        { code: 'RISK.AGENT_BURST', text: 'Megan Bowen opened 4 recovery cases within 60 minutes (more than 3).', consequence: { kind: 'override' } },
      ]);
    });
    it('does not fire at the limit, for openings exactly the window ago, or counting this case twice', () => {
      expect(codes(input({ requesterOpened: opened(2) }))).toEqual([]);
      expect(codes(input({ requesterOpened: opened(3, 60 * 60_000) }))).toEqual([]);
      expect(codes(input({ requesterOpened: [...opened(2), past('RC-NEW00000', { openedAt: TEST_NOW.toISOString() })] }))).toEqual([]);
      expect(codes(input({ requesterOpened: opened(3).map((c) => ({ ...c, requesterId: 'diego' })) }))).toEqual([]);
      expect(codes(input({ requesterOpened: opened(30) }), { ...SETTINGS, burstLimit: 0 })).toEqual([]);
    });
  });

  describe('RISK.OUTSIDE_WORKING_HOURS', () => {
    it('fires at the end hour, at night and at the weekend; needs an override', () => {
      for (const at of ['2026-11-18T19:00:00Z', '2026-11-18T03:00:00Z', '2026-11-21T12:00:00Z']) {
        expect(helpdeskRisks(input({ at: new Date(at) }), SETTINGS)).toEqual([
          { code: 'RISK.OUTSIDE_WORKING_HOURS', text: expect.stringContaining('07:00-19:00 UTC'), consequence: { kind: 'override' } },
        ]);
      }
    });
    it('does not fire at the start hour or a minute before the end, in the helpdesk’s time zone', () => {
      expect(codes(input({ at: new Date('2026-11-18T07:00:00Z') }))).toEqual([]);
      expect(codes(input({ at: new Date('2026-11-18T18:59:59Z') }))).toEqual([]);
      const berlin = { ...SETTINGS, workingHours: { ...SETTINGS.workingHours, timeZone: 'Europe/Berlin' } };
      expect(codes(input({ at: new Date('2026-11-18T18:30:00Z') }), berlin)).toEqual(['RISK.OUTSIDE_WORKING_HOURS']);
    });
  });

  describe('RISK.PRIVILEGED_TARGET and RISK.REQUESTER_IS_MANAGER', () => {
    it('are shown only, with the reasons', () => {
      const risks = helpdeskRisks(input({ privilege: ['holds Global Administrator'], managerId: 'megan' }), SETTINGS);
      expect(risks).toEqual([
        { code: 'RISK.PRIVILEGED_TARGET', text: expect.stringContaining('holds Global Administrator'), consequence: { kind: 'show' } },
        { code: 'RISK.REQUESTER_IS_MANAGER', text: expect.stringContaining('Megan Bowen'), consequence: { kind: 'show' } },
      ]);
      expect(extraApprovals(risks)).toBe(0);
      expect(risksNeedingOverride(risks)).toEqual([]);
    });
    it('the manager rule does not fire for another manager or an unknown one', () => {
      expect(codes(input({ managerId: 'diego' }))).toEqual([]);
      expect(codes(input({}))).toEqual([]);
    });
  });

  describe('approvalRule with risks', () => {
    const both = helpdeskRisks(
      input({
        targetHistory: [past('RC-OLD00001')],
        requesterAsTarget: [past('RC-OWN00001', { targetId: 'megan' })],
        privilege: ['holds Global Administrator'],
      }),
      SETTINGS,
    );
    it('adds each raising risk to the base, from the same groups, capped', () => {
      expect(approvalRule({ roles: [] }, both.slice(0, 1))).toEqual({ required: 2, approvers: 'approvers', raisedBy: ['RISK.TARGET_RECENTLY_RECOVERED'] });
      expect(approvalRule({ roles: [] }, both)).toEqual({
        required: 3,
        approvers: 'approvers',
        raisedBy: ['RISK.TARGET_RECENTLY_RECOVERED', 'RISK.REQUESTER_RECENTLY_RECOVERED'],
      });
      const privileged = approvalRule({ roles: [], privilegeNotes: ['a member of an approver group'] }, both);
      expect(privileged).toMatchObject({ required: MAX_REQUIRED_APPROVALS, approvers: 'privilegedApprovers' });
      expect(approvalRule({ roles: [] })).toEqual({ required: 1, approvers: 'approvers', raisedBy: [] });
    });
  });
});
