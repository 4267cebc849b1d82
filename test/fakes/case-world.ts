import type { RiskSettings } from '../../src/domain/helpdesk-risk';
import { requestApproval, decideApproval } from '../../src/app/approvals';
import { confirmScenario } from '../../src/app/confirm-scenario';
import { startExecution } from '../../src/app/execute-case';
import { openCase, type OpenCaseDeps } from '../../src/app/open-case';
import { triageCase } from '../../src/app/triage-case';
import type { Actor, RecoveryCase, ThreadRef } from '../../src/domain/case';
import type { Result } from '../../src/domain/errors';
import type { Scenario } from '../../src/domain/triage';
import type { CaseDeps, CaseSettings } from '../../src/ports/case-services';
import { InMemoryStorage } from '../../src/store/memory-storage';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { GROUPS, TENANT_ID, USERS } from '../helpers/demo-ids';
import { FakeVerifiedIdService, fakeVerifiedIdDeps } from './fake-verified-id';
import { FixedClock } from './fixed-clock';
import { InMemoryDirectory } from './in-memory-directory';
import { ManualScheduler } from './manual-scheduler';
import { RecordingLogger } from './recording-logger';
import { RecordingObserver } from './recording-observer';
import { SequentialIds, SequentialSecrets } from './sequential-ids';
import { PROVISIONING_APP, seedSmallTenant } from './small-tenant';

export const actor = (u: { id: string; name: string }): Actor => ({ aadObjectId: u.id, name: u.name });
export const megan = actor(USERS.megan);
export const nestor = actor(USERS.nestor);
export const alex = actor(USERS.alex);
export const patti = actor(USERS.patti);
export const isaiah = actor(USERS.isaiah);
export const grady = actor(USERS.grady);

export const THREAD: ThreadRef = {
  tenantId: TENANT_ID,
  conversationId: '19:recoveries@thread.tacv2;messageid=1',
  serviceUrl: 'https://smba.example/',
  channelId: 'msteams',
};

export const SETTINGS: CaseSettings = {
  tenantId: TENANT_ID,
  auditWindowDays: 30,
  helpdeskGroupIds: [GROUPS.helpdesk],
  approverGroupIds: [GROUPS.approvers],
  privilegedApproverGroupIds: [GROUPS.privilegedApprovers],
  triage: { automationAppIds: [PROVISIONING_APP], timeZone: 'UTC', startHour: 7, endHour: 19, days: [1, 2, 3, 4, 5], reAddWindowMinutes: 60 },
  approvalTtlMinutes: 60,
  approvalReminderMinutes: 15,
  tap: { lifetimeInMinutes: 60, isUsableOnce: true },
  identityVerificationMethods: ['Video call with manager', 'In person with photo ID'],
};

/** The use cases with every port faked in memory: the small tenant, the real case store over memory storage. */
export class CaseWorld {
  readonly clock = new FixedClock();
  readonly directory = seedSmallTenant(new InMemoryDirectory(this.clock));
  readonly storage = new InMemoryStorage();
  readonly cases = new StorageCaseStore(this.storage, 'unit-tier-journal-key-0123456789abcdef', () => this.clock.now().getTime());
  readonly logger = new RecordingLogger();
  readonly observer = new RecordingObserver();
  readonly scheduler = new ManualScheduler();
  readonly secrets = new SequentialSecrets();
  readonly ids = new SequentialIds();
  readonly verifiedIdService = new FakeVerifiedIdService(this.clock);
  readonly deps: CaseDeps;
  readonly openDeps: OpenCaseDeps;

  /**
   * `verifiedId`: configure Verified ID (the fake Request Service) with that many attempts per case. `risk`: the
   * helpdesk-attack rules' settings; by default a burst needs more than 20 cases, so that tests opening many stay quiet.
   */
  constructor(settings: Partial<CaseSettings> = {}, options: { verifiedId?: { maxAttempts: number }; risk?: Partial<RiskSettings> } = {}) {
    const all = { ...SETTINGS, ...settings };
    this.deps = {
      directory: this.directory,
      cases: this.cases,
      clock: this.clock,
      logger: this.logger,
      secrets: this.secrets,
      observer: this.observer,
      settings: all,
      ...(options.verifiedId ? { verifiedId: fakeVerifiedIdDeps(this.verifiedIdService, options.verifiedId.maxAttempts) } : {}),
    };
    this.openDeps = {
      directory: this.directory,
      cases: this.cases,
      clock: this.clock,
      ids: this.ids,
      logger: this.logger,
      tenantId: all.tenantId,
      helpdeskGroupIds: all.helpdeskGroupIds,
      privilegeGroups: { approverGroupIds: all.approverGroupIds, privilegedApproverGroupIds: all.privilegedApproverGroupIds, privilegedTargetGroupIds: [] },
      auditWindowDays: all.auditWindowDays,
      risk: { cooldownDays: 30, burstLimit: 20, burstWindowMinutes: 60, workingHours: all.triage, ...options.risk },
    };
  }

  async stored(caseId: string): Promise<RecoveryCase> {
    const c = (await this.cases.get(caseId))?.value;
    if (!c) throw new Error(`case ${caseId} is not stored`);
    return c;
  }

  async open(target: string = USERS.adele.upn, by: Actor = megan): Promise<RecoveryCase> {
    return value(await openCase(this.openDeps, { rawTarget: target, requester: by, thread: THREAD }));
  }

  async triaged(target?: string): Promise<RecoveryCase> {
    const c = await this.open(target);
    return value(await triageCase(this.deps, c.id));
  }

  /** Opened, triaged and planned for `scenario` (overriding the recommendation with a reason when they differ). */
  async planned(target?: string, scenario: Scenario = 'malicious'): Promise<RecoveryCase> {
    const c = await this.triaged(target);
    const reason = c.triage?.recommendation === scenario ? {} : { reason: 'The user confirmed the change was theirs.' };
    return value(await confirmScenario(this.deps, { caseId: c.id, by: megan, scenario, ...reason }));
  }

  async awaitingApproval(target?: string, scenario?: Scenario): Promise<RecoveryCase> {
    const c = await this.planned(target, scenario);
    return value(await requestApproval(this.deps, { caseId: c.id, by: megan }));
  }

  /** Approved by Alex (Patti and Isaiah for a privileged target) and started by Megan; no Graph step has run yet. */
  async started(target?: string, scenario?: Scenario): Promise<RecoveryCase> {
    const c = await this.awaitingApproval(target, scenario);
    for (const approver of c.approval?.required === 2 ? [patti, isaiah] : [alex])
      value(await decideApproval(this.deps, { caseId: c.id, by: approver, decision: 'approve' }));
    return value(await startExecution(this.deps, { caseId: c.id, by: megan }));
  }

  /** Journal events after the opening line, for checking what was recorded and in which order. */
  async journal(caseId: string): Promise<string[]> {
    return (await this.stored(caseId)).journal.map((j) => j.event);
  }
}

/** The value of a result that must have succeeded; a failure fails the test with its code and message. */
export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.code}: ${r.message}`);
  return r.value;
}
