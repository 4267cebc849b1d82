import type { ReadinessSnapshot } from '../domain/readiness';

/**
 * Reads what the readiness report checks: the registration report, who can manage authentication methods (active and
 * PIM-eligible), Conditional Access, the Temporary Access Pass policy, the hard-delete protected action and the
 * Account Recovery (Verified ID) profiles. It never
 * throws for one unreadable source: that source comes back as `{ ok: false, needs }` and the other checks still run.
 */
export interface ReadinessReader {
  read(): Promise<ReadinessSnapshot>;
}
