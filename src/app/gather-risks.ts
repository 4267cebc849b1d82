import type { Actor, RecoveryCase } from '../domain/case';
import { helpdeskRisks, type FlaggedRisk, type PastCase, type RiskSettings } from '../domain/helpdesk-risk';
import { privilegeReasons, type TargetSnapshot } from '../domain/target';
import type { CaseStore, HistoryEntry } from '../ports/case-store';

export interface GatherRisksRequest {
  readonly caseId: string;
  readonly targetId: string;
  readonly requester: Actor;
  readonly at: Date;
  readonly snapshot: Pick<TargetSnapshot, 'roles' | 'privilegeNotes'>;
  readonly managerId?: string;
}

function outcomeOf(c: RecoveryCase): PastCase['outcome'] {
  if (c.executionStartedAt) return 'executed';
  return c.state === 'denied' ? 'denied' : 'other';
}

/**
 * Records this opening in the target's and the requester's history (before the case is stored, so that two openings
 * racing each see the one that wrote first), reads the cases the rules need (only those inside a rule's window, from
 * the bounded per-user indexes, never a listing of every case), and applies the rules. An entry whose case was never
 * stored (its opening was refused because the target had an open case) is skipped for the cooldown rules and still
 * counts for a burst: an agent hammering `recover` is the pattern.
 */
export async function gatherRisks(cases: CaseStore, settings: RiskSettings, request: GatherRisksRequest): Promise<readonly FlaggedRisk[]> {
  const now = request.at.getTime();
  const entry: HistoryEntry = {
    caseId: request.caseId,
    targetId: request.targetId,
    requesterId: request.requester.aadObjectId,
    openedAt: request.at.toISOString(),
  };
  const recorded = await cases.recordOpening(entry);
  const asTarget = await cases.history('target', request.requester.aadObjectId);
  const inWindow = (ms: number) => (e: HistoryEntry) => e.caseId !== request.caseId && now - Date.parse(e.openedAt) < ms;
  const cooldownMs = settings.cooldownDays * 86_400_000;
  const load = async (entries: readonly HistoryEntry[]): Promise<PastCase[]> => {
    const found: PastCase[] = [];
    for (const e of entries) {
      const c = (await cases.get(e.caseId))?.value;
      if (!c) continue;
      found.push({
        id: c.id,
        openedAt: c.openedAt,
        targetId: c.target.id,
        targetName: c.target.displayName,
        requesterId: c.requester.aadObjectId,
        requesterName: c.requester.name,
        outcome: outcomeOf(c),
      });
    }
    return found;
  };
  const burstMs = settings.burstWindowMinutes * 60_000;
  const opened: PastCase[] = recorded.requester.filter(inWindow(burstMs)).map((e) => ({
    id: e.caseId,
    openedAt: e.openedAt,
    targetId: e.targetId,
    targetName: '',
    requesterId: e.requesterId,
    requesterName: request.requester.name,
    outcome: 'other',
  }));
  return helpdeskRisks(
    {
      caseId: request.caseId,
      targetId: request.targetId,
      requester: request.requester,
      at: request.at,
      privilege: privilegeReasons(request.snapshot),
      targetHistory: await load(recorded.target.filter(inWindow(cooldownMs))),
      requesterAsTarget: await load(asTarget.filter(inWindow(cooldownMs))),
      requesterOpened: opened,
      ...(request.managerId ? { managerId: request.managerId } : {}),
    },
    settings,
  );
}
