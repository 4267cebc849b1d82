import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecoveryCase } from '../../src/domain/case';
import { loadDemoSeed, startSimulator, type RunningSimulator, type TenantSeed } from '../../src/simulator';
import { PROCESSES } from '../helpers/test-clock';
import { BlobStorage } from '../../src/store/blob-storage';
import type { DurableStorage } from '../../src/store/durable-storage';
import { FileStorage } from '../../src/store/file-storage';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { Verb } from '../../src/views/verbs';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { journalKeyFrom } from '../../src/config';
import { BotInstance, FakeConnector, TEST_SIGNING_KEY, type InvokeBody } from '../helpers/bot-over-http';
import { USERS } from '../helpers/demo-ids';
import { waitFor } from '../helpers/spawn-bot';
import { accepted } from '../helpers/invoke-answers';

/**
 * A crash in the middle of a malicious recovery, with real processes: the bot (src/index.ts) is killed with SIGKILL
 * while it removes Lee's methods (each DELETE slowed down by the simulated tenant), a new process starts on the same
 * storage, resumes the run, and the case is finished through it. Every method must be removed exactly once and exactly
 * one TAP issued, shown only to the agent. Runs on file storage and on Azure Blob storage (Azurite), and with two
 * workers (WEB_CONCURRENCY=2) of which the one running the case is killed.
 */
jest.setTimeout(180_000);

let azurite: RunningAzurite | undefined;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(async () => {
  await azurite?.stop();
});

/** The demo tenant, with Lee (the malicious story) holding five methods besides his password instead of two. */
function seedWithMoreMethods(): TenantSeed {
  const seed = loadDemoSeed();
  const lee = seed.users.find((u) => u.id === USERS.lee.id);
  if (!lee) throw new Error('the demo seed has no Lee');
  lee.methods = [
    ...(lee.methods ?? []),
    {
      type: 'fido2',
      id: 'bGVlLWZpZG8yLVl1YmlLZXk1Q05GQw',
      displayName: "Lee's YubiKey",
      model: 'YubiKey 5C NFC',
      aaGuid: 'fa2b99dc-9e39-4257-8f92-4a30d23c4118',
      createdDateTime: { daysAgo: 200, time: '08:02:11' },
    },
    {
      type: 'microsoftAuthenticator',
      id: 'a7c0de11-0505-4a1b-9c2d-000000000505',
      displayName: 'iPhone 15',
      phoneAppVersion: '6.8.12',
      createdDateTime: { daysAgo: 120, time: '09:12:44' },
    },
    { type: 'phone', id: 'b6332ec1-7057-4abe-9331-3d72feddfe41', phoneType: 'alternateMobile', phoneNumber: '+44 7700 900456' },
  ];
  return seed;
}

interface StorageUnderTest {
  readonly env: Record<string, string>;
  readonly storage: DurableStorage;
  /** Everything stored, as text, for the secret scan. */
  dump(): Promise<string>;
  cleanup(): Promise<void>;
}

const storages: Array<[string, () => Promise<StorageUnderTest>]> = [
  [
    'file storage',
    async () => {
      const folder = await mkdtemp(join(tmpdir(), 'entra-recovery-kill-'));
      return {
        env: { DATA_DIR: folder },
        storage: new FileStorage(folder),
        dump: async () => (await Promise.all((await readdir(folder)).map((f) => readFile(join(folder, f), 'utf8')))).join('\n'),
        cleanup: () => rm(folder, { recursive: true, force: true }),
      };
    },
  ],
  [
    'Azure Blob storage (Azurite)',
    () => {
      if (!azurite) throw new Error('Azurite is not running');
      const container = `kill${Date.now()}`;
      const storage = new BlobStorage({ kind: 'connectionString', connectionString: azurite.connectionString, container });
      return Promise.resolve({
        env: { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: container },
        storage,
        dump: async () => JSON.stringify(await storage.read([...(await storage.keys(''))])),
        cleanup: () => Promise.resolve(),
      });
    },
  ],
];

/**
 * What is killed: the one bot process (a new one then starts on the storage), or the worker running the case, one of
 * two (WEB_CONCURRENCY=2), whose primary starts another that resumes the run while the other worker keeps serving.
 */
type Crash = 'process' | 'worker';
const crashes: Array<[string, Crash]> = [
  ['the process', 'process'],
  ['one of two workers', 'worker'],
];
const cases_ = storages.flatMap(([storageName, make]) => crashes.map(([crashName, crash]) => [storageName, crashName, make, crash] as const));

/** The pid of the worker with this id, from its `listening` line. */
function workerPid(output: string, worker: string): number {
  const line = output.split('\n').find((l) => l.includes('"message":"listening"') && l.includes(`"worker":${worker},`));
  const pid = line ? (JSON.parse(line) as { pid?: number }).pid : undefined;
  if (pid === undefined) throw new Error(`no listening line of worker ${worker}:\n${output}`);
  return pid;
}

describe.each(cases_)('kill -9 in the middle of a malicious recovery, then a restart (%s, killing %s)', (_name, _crashName, make, crash) => {
  let simulator: RunningSimulator;
  let connector: FakeConnector;
  let store: StorageUnderTest;
  const bots: BotInstance[] = [];
  beforeEach(async () => {
    simulator = await startSimulator({ now: PROCESSES.now, seed: seedWithMoreMethods() });
    connector = await FakeConnector.start();
    store = await make();
  });
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((b) => b.stop('SIGKILL')));
    await connector?.close();
    await simulator?.close();
    await store?.cleanup();
  });

  const start = async (name: string): Promise<BotInstance> => {
    const workers: Record<string, string> = crash === 'worker' ? { WEB_CONCURRENCY: '2', LOG_LEVEL: 'info' } : {};
    const bot = await BotInstance.start(name, { SIMULATOR_URL: simulator.url, ...store.env, ...workers }, connector);
    bots.push(bot);
    return bot;
  };

  it('finishes the case after the restart: every method removed once, exactly one TAP, shown only to the agent', async () => {
    const lee = USERS.lee;
    const cases = new StorageCaseStore(store.storage, journalKeyFrom(TEST_SIGNING_KEY));
    const get = async (id: string): Promise<RecoveryCase> => (await cases.get(id))!.value;
    const data = (c: RecoveryCase, extra: Record<string, unknown> = {}) => ({ caseId: c.id, version: c.version, ...extra });
    const mustCard = (body: InvokeBody, what: string): void => {
      if (!accepted(body)) throw new Error(`${what} was refused: ${JSON.stringify(body.value)}`);
    };
    const began = PROCESSES.now().toISOString();
    const removable = (simulator.tenant.methods.get(lee.id) ?? []).filter((m) => m.type !== 'password').map((m) => m.id);
    expect(removable).toHaveLength(5);

    const first = await start('first');
    const opened = await first.message(`recover ${lee.upn}`, USERS.megan);
    const caseId = /Recovery case (RC-[0-9A-Z]{8})/.exec(opened)?.[1];
    if (!caseId) throw new Error(`no case opened: ${opened}\n${first.output()}`);
    await waitFor(async () => (await get(caseId)).state === 'triaged', 'triage', 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${first.output()}`);
    });
    mustCard(await first.click(Verb.confirmScenario, data(await get(caseId), { scenario: 'malicious' }), USERS.megan), 'confirm');
    mustCard(await first.click(Verb.requestApproval, data(await get(caseId)), USERS.megan), 'request approval');

    // Every method DELETE now takes 1.5 s; Alex approves and the run starts removing.
    simulator.faults.add({ kind: 'latency', ms: 1500, method: 'DELETE', path: /\/authentication\// });
    const approval = await first.clickAnswered(Verb.approve, data(await get(caseId)), USERS.alex);
    mustCard(approval.body, 'approve');
    // The click was answered before the run (Teams allows an invoke about 5 s): at most one slow DELETE is done yet.
    expect((simulator.tenant.methods.get(lee.id) ?? []).filter((m) => m.type !== 'password').length).toBeGreaterThanOrEqual(removable.length - 1);
    await waitFor(
      () => Promise.resolve((simulator.tenant.methods.get(lee.id) ?? []).filter((m) => m.type !== 'password').length < removable.length),
      'the first removal',
      30_000,
    );
    if (crash === 'process') {
      const killed = await first.stop('SIGKILL');
      expect(killed.code).toBeNull();
    } else {
      // The worker that answered the approval runs the removal (background work after the answer): it is the one killed.
      process.kill(workerPid(first.output(), approval.worker ?? '?'), 'SIGKILL');
    }
    const leftAtCrash = (simulator.tenant.methods.get(lee.id) ?? []).filter((m) => m.type !== 'password').length;
    expect(leftAtCrash).toBeGreaterThan(0); // killed in the middle, not after the step
    const atCrash = await get(caseId);
    expect(atCrash.state).toBe('executing');
    expect(Object.values(atCrash.steps ?? {}).some((s) => s.status === 'running')).toBe(true);
    simulator.faults.clear();

    // A new process on the same storage (or the worker the primary starts in place of the killed one) finds the case
    // and finishes the run.
    const second = crash === 'process' ? await start('second') : first;
    await waitFor(
      async () => {
        const c = await get(caseId);
        return c.plan!.some((s) => s.kind === 'verifyIdentity' && c.steps?.[s.id]?.status === 'waiting');
      },
      'the resumed run to reach identity verification',
      60_000,
    );
    expect(second.output()).toMatch(/resumed open cases/);
    if (crash === 'worker') expect(first.output()).toMatch(/"message":"a worker died; starting another".*"signal":"SIGKILL"/);

    let c = await get(caseId);
    const waiting = (k: RecoveryCase) => k.plan!.find((s) => k.steps?.[s.id]?.status !== 'done')!;
    // Without Verified ID, the fallback: Megan asks, Patti (who did not approve the plan) accepts.
    const identityStep = waiting(c).id;
    mustCard(
      await second.click(
        Verb.requestFallback,
        data(c, { stepId: identityStep, identityMethod: 'Video call with manager', identityNote: 'Manager confirmed on camera' }),
        USERS.megan,
      ),
      'identity fallback',
    );
    c = await get(caseId);
    mustCard(await second.click(Verb.approveFallback, data(c, { stepId: identityStep }), USERS.patti), 'fallback accepted');
    c = await get(caseId);
    mustCard(await second.click(Verb.revealPassword, data(c, { stepId: waiting(c).id }), USERS.megan), 'password');
    c = await get(caseId);
    const tapReveal = await second.click(Verb.revealTap, data(c, { stepId: waiting(c).id, tapLifetime: '60', tapOneTime: 'true' }), USERS.megan);
    mustCard(tapReveal, 'TAP');

    // Every method removed exactly once: one deletion record per method id since the test began, none left.
    const deletions = simulator.tenant.audits
      .filter((a) => a.activityDisplayName === 'Admin deleted security info' && a.targetResources[0]?.id === lee.id && a.activityDateTime >= began)
      .map((a) => a.additionalDetails.find((d) => d.key === 'MethodId')?.value)
      .filter((id) => id !== undefined && removable.includes(id));
    expect([...deletions].sort()).toEqual([...removable].sort());
    const left = simulator.tenant.methods.get(lee.id) ?? [];
    expect(left.filter((m) => removable.includes(m.id))).toEqual([]);

    // Exactly one TAP: one in the tenant, one created, and the agent got it in the invoke answer and nowhere else.
    expect(left.filter((m) => m.type === 'temporaryAccessPass')).toHaveLength(1);
    const tapCreations = simulator.tenant.audits.filter(
      (a) => a.targetResources[0]?.id === lee.id && a.activityDateTime >= began && /registered temporary access pass/i.test(a.resultReason),
    );
    expect(tapCreations).toHaveLength(1);
    const pass = JSON.stringify(tapReveal.value)
      .match(/"text":"([^"\s]{8,48})"/g)
      ?.map((m) => m.slice(8, -1))
      .find((t) => !t.startsWith('RC-'));
    expect(pass).toBeDefined();
    const signIn = await fetch(`${simulator.url}/_simulator/users/${lee.id}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'temporaryAccessPass', temporaryAccessPass: pass }),
    });
    expect(((await signIn.json()) as { status: { errorCode: number } }).status.errorCode).toBe(0);
    expect(connector.everything()).not.toContain(pass!);
    expect(await store.dump()).not.toContain(pass!);
    expect(first.output() + second.output()).not.toContain(pass!);

    // The record: the run started once, the removal is done once, and the journal chain is intact.
    const after = await get(caseId);
    expect(after.journal.filter((j) => j.event === 'Execution started')).toHaveLength(1);
    expect(after.journal.filter((j) => j.event.startsWith('Step done: Remove every authentication method'))).toHaveLength(1);
    expect(await cases.checkJournal(caseId)).toMatchObject({ intact: true });
  });
});
