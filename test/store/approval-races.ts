import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecoveryCase } from '../../src/domain/case';
import { startSimulator, type RunningSimulator, type TenantSeed } from '../../src/simulator';
import { PROCESSES } from '../helpers/test-clock';
import { BlobStorage } from '../../src/store/blob-storage';
import type { DurableStorage } from '../../src/store/durable-storage';
import { FileStorage } from '../../src/store/file-storage';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { Verb } from '../../src/views/verbs';
import { adversarialSeed, EXTRA, seedUser } from '../helpers/adversary';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { journalKeyFrom } from '../../src/config';
import { BotInstance, FakeConnector, TEST_SIGNING_KEY, type InvokeBody, type Person } from '../helpers/bot-over-http';
import { USERS } from '../helpers/demo-ids';
import { waitFor } from '../helpers/spawn-bot';
import { inParallel } from '../helpers/in-parallel';
import { accepted } from '../helpers/invoke-answers';

/**
 * Two bot processes (src/index.ts) on one Azure Blob store (Azurite) and one simulated tenant, with people clicking
 * on both at the same moment, as behind Azure Bot Service's load balancing; then the same races against the two
 * workers of one process (WEB_CONCURRENCY=2, src/workers.ts), on one DATA_DIR (FileStorage's per-key locks between
 * processes) and on Blob storage, with every race's clicks sent at once to the one port. Per target: `recover` sent to both
 * instances at once, then an approval race between the instances:
 * - ordinary target (one approval needed): two approvers at once, an approve against a deny, or one approver whose
 *   click reaches both instances;
 * - privileged target (two approvals from the privileged group): both privileged approvers at once, sometimes with a
 *   repeated click.
 * Counted: cases opened twice for one target, lost decisions (a click that is in the journal neither as a decision
 * nor as a refusal, or a privileged case left short of its quorum when both approved), double executions (more than
 * one run start, or a method deleted twice), and runs missing (an approved case that never ran). All must be zero.
 */
const RACES = 200;
/** The worker variants: every kind of race is still there (the pattern repeats every 12 targets), four times over. */
const WORKER_RACES = 48;
const PAA_ROLE = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
const DENY_REASON = 'Caller could not answer the verification questions';

interface Target {
  readonly id: string;
  readonly upn: string;
  readonly privileged: boolean;
}

function targets(races: number): Target[] {
  return Array.from({ length: races }, (_, i) => {
    const n = (0x2000 + i).toString(16);
    return { id: `9a1b7c20-${n}-4e8a-9c11-${n.padStart(12, '0')}`, upn: `race${i}@contoso.com`, privileged: i % 2 === 1 };
  });
}

function raceSeed(list: readonly Target[]): TenantSeed {
  const seed = adversarialSeed();
  for (const [i, t] of list.entries()) {
    seed.users.push(seedUser(seed, t.id, t.upn, `Race ${i}`));
    if (t.privileged) (seed.roleAssignments ??= []).push({ id: `race-paa-${i}`, principalId: t.id, roleDefinitionId: PAA_ROLE });
  }
  return seed;
}

type Click = { readonly instance: 0 | 1; readonly by: Person; readonly verb: string; readonly extra?: Record<string, unknown> };

/** Who clicks what on which instance, for race `i`. */
function raceFor(t: Target, i: number): { kind: string; clicks: Click[] } {
  const approve = (instance: 0 | 1, by: Person): Click => ({ instance, by, verb: Verb.approve });
  if (t.privileged) {
    const clicks = [approve(0, USERS.patti), approve(1, EXTRA.pradeep)];
    return i % 4 === 1
      ? { kind: 'privileged, both approvers', clicks }
      : { kind: 'privileged, both approvers, one clicks twice', clicks: [...clicks, approve(1, USERS.patti)] };
  }
  switch ((i / 2) % 3) {
    case 0:
      return { kind: 'two approvers', clicks: [approve(0, USERS.alex), approve(1, EXTRA.hana)] };
    case 1:
      return {
        kind: 'approve against deny',
        clicks: [approve(0, USERS.alex), { instance: 1, by: EXTRA.hana, verb: Verb.deny, extra: { denyReason: DENY_REASON } }],
      };
    default:
      return { kind: 'one approver on both instances', clicks: [approve(0, USERS.alex), approve(1, USERS.alex)] };
  }
}

/**
 * The races as one test file's tests: `instances`, two processes on one Blob store (test/store/two-instances.test.ts);
 * `workers`, the two workers of one process on one DATA_DIR and on one Blob store (test/store/two-workers.test.ts).
 * Two files, so that jest runs them side by side.
 */
export function approvalRaces(where: 'instances' | 'workers'): void {
  jest.setTimeout(600_000);
  let azurite: RunningAzurite | undefined;
  let simulator: RunningSimulator | undefined;
  let connector: FakeConnector | undefined;
  let bots: BotInstance[] = [];
  const folders: string[] = [];
  beforeAll(async () => {
    azurite = await startAzurite();
  }, 30_000);
  afterEach(async () => {
    await Promise.all(bots.map((b) => b.stop('SIGKILL')));
    bots = [];
    await connector?.close();
    await simulator?.close();
  });
  afterAll(async () => {
    await azurite?.stop();
    await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
  });

  /** Where the two instances' clicks land: two processes, or the two workers of one process (WEB_CONCURRENCY=2). */
  interface Topology {
    readonly name: string;
    readonly workers: boolean;
    /** How many targets race (the worker variants run fewer: every kind of race is still there, every 12 targets). */
    readonly races: number;
    /** The store's variables for the bot, and the same store for the test to read. */
    store(): Promise<{ env: Record<string, string>; storage: DurableStorage }>;
  }

  const blob = (container: string) => (): Promise<{ env: Record<string, string>; storage: DurableStorage }> =>
    Promise.resolve({
      env: { AZURE_STORAGE_CONNECTION_STRING: azurite!.connectionString, AZURE_STORAGE_CONTAINER: container },
      storage: new BlobStorage({ kind: 'connectionString', connectionString: azurite!.connectionString, container }),
    });

  const TOPOLOGIES: readonly Topology[] = [
    // Azurite runs in a fresh folder per test file: a fixed container name is unique there.
    { name: 'two instances on one Blob store', workers: false, races: RACES, store: blob('race-cases') },
    {
      name: 'one process with two workers (WEB_CONCURRENCY=2) on one DATA_DIR',
      workers: true,
      races: WORKER_RACES,
      store: async () => {
        const folder = await mkdtemp(join(tmpdir(), 'entra-recovery-race-'));
        folders.push(folder);
        return { env: { DATA_DIR: folder }, storage: new FileStorage(folder) };
      },
    },
    { name: 'one process with two workers (WEB_CONCURRENCY=2) on one Blob store', workers: true, races: WORKER_RACES, store: blob('race-cases-workers') },
  ];

  it.each(TOPOLOGIES.filter((t) => t.workers === (where === 'workers')))(
    '$name: $races approval races, no case opened twice, no lost decision, no double execution, no card posted twice',
    async (topology) => {
      const list = targets(topology.races);
      simulator = await startSimulator({ now: PROCESSES.now, seed: raceSeed(list) });
      connector = await FakeConnector.start();
      const store = await topology.store();
      const env = {
        SIMULATOR_URL: simulator.url,
        ...store.env,
        LOG_LEVEL: 'warn',
        // Megan opens all 200 cases at once: the burst rule would rightly ask her to override; this test is about the races.
        RECOVERY_BURST_LIMIT: '0',
      };
      // Two workers: both "instances" are the one address, and the primary deals the connections out to its workers.
      bots = topology.workers
        ? [await BotInstance.start('A+B', { ...env, WEB_CONCURRENCY: '2' }, connector)]
        : await Promise.all([BotInstance.start('A', env, connector), BotInstance.start('B', env, connector)]);
      const [a, b] = [bots[0], bots[1] ?? bots[0]] as [BotInstance, BotInstance];
      const cases = new StorageCaseStore(store.storage, journalKeyFrom(TEST_SIGNING_KEY));
      const get = async (id: string): Promise<RecoveryCase> => {
        const stored = await cases.get(id);
        if (!stored) throw new Error(`no case ${id}`);
        return stored.value;
      };
      const card = (body: InvokeBody, what: string): void => {
        if (!accepted(body)) throw new Error(`${what} was refused: ${JSON.stringify(body.value)}`);
      };
      const began = PROCESSES.now().toISOString();
      const counts = {
        races: 0,
        opens: 0,
        namedOpenCase: 0,
        openedTwice: 0,
        clicks: 0,
        decisions: 0,
        refusals: 0,
        lostDecisions: 0,
        approved: 0,
        denied: 0,
        executions: 0,
        doubleExecutions: 0,
        runsMissing: 0,
        methodsDeletedTwice: 0,
        /** Races whose simultaneous clicks were answered by different workers (WEB_CONCURRENCY). */
        splitAcrossWorkers: 0,
      };
      const workersSeen = new Set<string>();
      const kinds = new Map<string, number>();
      const problems: string[] = [];

      await inParallel(list, 8, async (target, i) => {
        // Both instances are asked to recover the same user at once: one case between them.
        const replies = await Promise.all([a.message(`recover ${target.upn}`, USERS.megan), b.message(`recover ${target.upn}`, USERS.megan)]);
        const opened = replies.map((r) => /Recovery case (RC-[0-9A-Z]{8})/.exec(r)?.[1]).filter((id): id is string => id !== undefined);
        counts.opens += opened.length;
        counts.namedOpenCase += replies.filter((r) => r.includes('CASE.ALREADY_OPEN')).length;
        if (opened.length !== 1) {
          counts.openedTwice += opened.length > 1 ? 1 : 0;
          problems.push(`${target.upn}: ${opened.length} cases opened (${replies.join(' | ').slice(0, 300)})`);
          if (opened.length === 0) return;
        }
        const caseId = opened[0] as string;
        await waitFor(async () => (await get(caseId)).state === 'triaged', `triage of ${caseId}`, 60_000);
        let c = await get(caseId);
        card(
          await a.click(Verb.confirmScenario, { caseId, version: c.version, scenario: 'malicious', reason: 'Race test: malicious on purpose' }, USERS.megan),
          'confirm',
        );
        c = await get(caseId);
        card(await b.click(Verb.requestApproval, { caseId, version: c.version }, USERS.megan), 'request approval');
        c = await get(caseId);
        if (c.approval?.required !== (target.privileged ? 2 : 1)) throw new Error(`${caseId} needs ${c.approval?.required} approvals`);

        // The race: every click carries the card version the people saw, and all go out at once.
        const race = raceFor(target, i);
        kinds.set(race.kind, (kinds.get(race.kind) ?? 0) + 1);
        counts.races += 1;
        counts.clicks += race.clicks.length;
        const answered = await Promise.all(
          race.clicks.map((k) => [a, b][k.instance]!.clickAnswered(k.verb, { caseId, version: c.version, ...(k.extra ?? {}) }, k.by)),
        );
        const answeredBy = new Set(answered.map((r) => r.worker));
        for (const w of answeredBy) if (w !== undefined) workersSeen.add(w);
        if (answeredBy.size > 1) counts.splitAcrossWorkers += 1;

        // Let the winner's run reach the identity check (or see the case denied).
        await waitFor(
          async () => {
            const now = await get(caseId);
            return now.state === 'denied' || now.plan!.some((s) => s.kind === 'verifyIdentity' && now.steps?.[s.id]?.status === 'waiting');
          },
          `the outcome of ${caseId}`,
          60_000,
        ).catch(() => undefined);
        const done = await get(caseId);

        // Every click is in the journal once: as its person's decision, or as a refusal of that person.
        for (const person of new Set(race.clicks.map((k) => k.by))) {
          const clicked = race.clicks.filter((k) => k.by === person).length;
          const decided = done.journal.filter((j) => j.by === person.name && (j.event === 'Approved' || j.event === 'Denied')).length;
          const refused = done.journal.filter((j) => j.by === person.name && j.event.startsWith('Refused:')).length;
          counts.decisions += decided;
          counts.refusals += refused;
          if (decided > 1 || decided + refused !== clicked) {
            counts.lostDecisions += 1;
            problems.push(`${caseId} (${race.kind}): ${person.name} clicked ${clicked}×, ${decided} decision(s), ${refused} refusal(s)`);
          }
        }
        if (target.privileged && done.state !== 'executing') {
          counts.lostDecisions += 1;
          problems.push(`${caseId} (${race.kind}): both privileged approvers approved, yet the case is ${done.state}`);
        }

        const starts = done.journal.filter((j) => j.event === 'Execution started').length;
        counts.executions += starts;
        if (starts > 1) {
          counts.doubleExecutions += 1;
          problems.push(`${caseId}: ${starts} run starts`);
        }
        if (done.state === 'denied') {
          counts.denied += 1;
          if (starts > 0) problems.push(`${caseId}: denied, yet it ran`);
        } else {
          counts.approved += 1;
          if (starts === 0 || done.state !== 'executing') {
            counts.runsMissing += 1;
            problems.push(`${caseId} (${race.kind}): approved but ${done.state} with ${starts} run start(s)`);
          }
        }
      });

      // A method deleted twice would show as two deletion records with one method id.
      const deletions = new Map<string, number>();
      for (const audit of simulator.tenant.audits) {
        if (audit.activityDisplayName !== 'Admin deleted security info' || audit.activityDateTime < began) continue;
        const key = `${audit.targetResources[0]?.id ?? ''}/${audit.additionalDetails.find((d) => d.key === 'MethodId')?.value ?? ''}`;
        deletions.set(key, (deletions.get(key) ?? 0) + 1);
      }
      counts.methodsDeletedTwice = [...deletions.values()].filter((n) => n > 1).length;
      // Each phase card of a case is posted once and then edited: a second post would split the thread's record.
      const phasePosts = new Map<string, number>();
      for (const write of connector.writes) {
        if (write.kind !== 'post') continue;
        const heading = /"text":"((?:Triage of|Plan for|Approval for|Recovery of|Summary of) case RC-[0-9A-Z]{8})/.exec(JSON.stringify(write.activity))?.[1];
        if (heading) phasePosts.set(heading, (phasePosts.get(heading) ?? 0) + 1);
      }
      const phaseCardsPostedTwice = [...phasePosts].filter(([, n]) => n > 1).map(([h]) => h);
      const targetsKeepingMethods = list.filter((t) => (simulator!.tenant.methods.get(t.id) ?? []).some((m) => m.type !== 'password')).length;

      // The issue asks for the counts to be printed: they are the measurement, read in the test output.
      // eslint-disable-next-line no-console
      console.log(
        [
          `${topology.name}: ${counts.races} races (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})`,
          `  recover sent to both instances at once: ${counts.opens} cases opened for ${list.length} targets, ${counts.namedOpenCase} answers naming the open case (opened twice: ${counts.openedTwice})`,
          `  clicks: ${counts.clicks} -> ${counts.decisions} decisions recorded, ${counts.refusals} refused; lost decisions: ${counts.lostDecisions}`,
          `  outcomes: ${counts.approved} approved, ${counts.denied} denied; run starts: ${counts.executions}; double executions: ${counts.doubleExecutions}; approved but not run: ${counts.runsMissing}`,
          `  phase cards posted: ${phasePosts.size} (posted more than once: ${phaseCardsPostedTwice.length})`,
          `  methods deleted: ${[...deletions.values()].reduce((s, n) => s + n, 0)} (deleted twice: ${counts.methodsDeletedTwice}); targets keeping their methods: ${targetsKeepingMethods}`,
          ...(topology.workers
            ? [`  clicks answered by workers ${[...workersSeen].sort().join(', ')}; races split across workers: ${counts.splitAcrossWorkers}`]
            : []),
        ].join('\n'),
      );
      expect(problems).toEqual([]);
      expect(phaseCardsPostedTwice).toEqual([]);
      expect(counts.races).toBe(topology.races);
      expect(counts).toMatchObject({ openedTwice: 0, lostDecisions: 0, doubleExecutions: 0, runsMissing: 0, methodsDeletedTwice: 0 });
      expect(counts.namedOpenCase).toBe(topology.races);
      expect(counts.executions).toBe(counts.approved);
      // Denied cases changed nothing: their targets keep both methods; every approved target lost all of its.
      expect(targetsKeepingMethods).toBe(counts.denied);
      // The deny branch ran: in 200 races a deny wins about half of its ~33 races against an approve. (In 48 races it
      // would win none of its ~8 about once in 250 runs: the worker variants do not ask it.)
      if (!topology.workers) expect(counts.denied).toBeGreaterThan(0);
      expect(counts.approved).toBeGreaterThan(counts.denied);
      // With workers, the races really were between them: both answered clicks, and many races had clicks on each.
      if (topology.workers) {
        expect(workersSeen.size).toBe(2);
        expect(counts.splitAcrossWorkers).toBeGreaterThanOrEqual(topology.races / 4);
      }
    },
  );
}
