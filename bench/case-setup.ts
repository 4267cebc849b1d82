/**
 * One case brought to "awaiting approval" in a bot process over HTTP, as people do it (Megan recovers, confirms the
 * scenario, requests approval), and then left to settle: an approver reads the request before clicking, by which
 * time the request's own work (the approvers' 1:1 chats, the thread's cards through the per-thread pacer) is over.
 */
import { journalKeyFrom } from '../src/config';
import type { RecoveryCase } from '../src/domain/case';
import type { Scenario } from '../src/domain/triage';
import { FileStorage } from '../src/store/file-storage';
import { StorageCaseStore } from '../src/store/storage-case-store';
import { Verb } from '../src/views/verbs';
import { TEST_SIGNING_KEY, type BotInstance, type FakeConnector } from '../test/helpers/bot-over-http';
import { USERS } from '../test/helpers/demo-ids';

export interface BenchCase {
  readonly caseId: string;
  /** The case as stored now. */
  readonly current: () => Promise<RecoveryCase>;
  /** Polls every `pollMs` until `done` holds (60 s at most). */
  readonly until: (what: string, done: (c: RecoveryCase) => boolean, pollMs: number) => Promise<RecoveryCase>;
}

export async function caseAwaitingApproval(bot: BotInstance, connector: FakeConnector, dataDir: string, upn: string, scenario: Scenario): Promise<BenchCase> {
  const cases = new StorageCaseStore(new FileStorage(dataDir), journalKeyFrom(TEST_SIGNING_KEY));
  const reply = await bot.message(`recover ${upn}`, USERS.megan);
  const caseId = /Recovery case (RC-[0-9A-Z]{8})/.exec(reply)?.[1];
  if (!caseId) throw new Error(`no case opened: ${reply.slice(0, 300)}`);
  const current = async (): Promise<RecoveryCase> => {
    const c = (await cases.get(caseId))?.value;
    if (!c) throw new Error(`case ${caseId} vanished`);
    return c;
  };
  const until = async (what: string, done: (c: RecoveryCase) => boolean, pollMs: number): Promise<RecoveryCase> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const c = await current();
      if (done(c)) return c;
      if (Date.now() > deadline) throw new Error(`case ${caseId}: ${what} did not happen (state ${c.state})`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  };
  await until('triage', (c) => c.state === 'triaged', 50);
  await bot.click(Verb.confirmScenario, { caseId, version: (await current()).version, scenario, reason: 'Benchmark' }, USERS.megan);
  await bot.click(Verb.requestApproval, { caseId, version: (await current()).version }, USERS.megan);
  await until('the approval request', (c) => c.state === 'awaitingApproval', 50);
  await until('the approvers\u2019 chats', (c) => c.journal.some((j) => j.event.startsWith('Approval request sent to 1:1 chats')), 50);
  for (let writes = -1; writes !== connector.writes.length;) {
    writes = connector.writes.length;
    await new Promise((r) => setTimeout(r, 500));
  }
  return { caseId, current, until };
}
