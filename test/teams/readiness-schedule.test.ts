import { join } from 'node:path';
import { InMemoryStorage } from '../../src/store/memory-storage';
import { assessTenant } from '../../src/app/readiness-report';
import { createGraphClient } from '../../src/entra/graph-client';
import { GraphReadinessReader } from '../../src/entra/graph-readiness';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import type { StoredMethod } from '../../src/simulator/tenant-state';
import { runScheduledReadiness, startReadinessSchedule, type ReadinessScheduleDeps } from '../../src/teams/readiness-schedule';
import { CardRenderer } from '../../src/views/card-renderer';
import { parseProblems, textsOf } from '../helpers/card-checks';
import { ManualScheduler, RecordingPoster, recordingLogger, type LogLine } from '../helpers/bot-harness';
import { TENANT_ID, USERS } from '../helpers/demo-ids';
import { simulatorCredential } from '../helpers/simulator-token';

const HOUR_MS = 3_600_000;
const RAVI = '9a1b7c20-000b-4e8a-9c11-00000000000b';
const CHANNEL = { tenantId: TENANT_ID, conversationId: '19:readiness@thread.tacv2', serviceUrl: 'https://smba.example/', channelId: 'msteams' };

describe('readiness posted on a schedule to the configured channel', () => {
  let sim: RunningSimulator;
  let now: Date;
  let poster: RecordingPoster;
  let scheduler: ManualScheduler;
  let logs: LogLine[];
  let storage: InMemoryStorage;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  const deps = (assess?: ReadinessScheduleDeps['assess']): ReadinessScheduleDeps => {
    const client = createGraphClient({ baseUrl: sim.url, credential: simulatorCredential(sim.url), retry: { baseDelayMs: 50, maxRetries: 1 } });
    const reader = new GraphReadinessReader(client, sim.url, { now: () => now });
    return {
      assess: assess ?? (() => assessTenant(reader, { verifiedId: undefined })),
      poster,
      storage,
      cards: new CardRenderer(join(__dirname, '..', '..', 'cards'), true),
      clock: { now: () => now },
      scheduler,
      logger: recordingLogger(logs),
      thread: CHANNEL,
      everyHours: 168,
      claim: (key) => storage.create(key, { claimedAt: now.toISOString() }),
    };
  };
  const postedTexts = (i: number): string[] => {
    const write = poster.writes[i];
    if (!write) throw new Error(`no post ${i}`);
    return textsOf(write.activity.attachments?.[0]?.content);
  };

  beforeEach(async () => {
    await fetch(`${sim.url}/_simulator/reset`, { method: 'POST' });
    now = new Date('2026-11-23T08:00:00.000Z');
    poster = new RecordingPoster();
    scheduler = new ManualScheduler();
    storage = new InMemoryStorage();
    logs = [];
  });

  it('posts at once the first time, then weekly with what changed since the last post', async () => {
    await startReadinessSchedule(deps());
    expect(scheduler.pending.map((p) => p.when.toISOString())).toEqual(['2026-11-23T08:00:00.000Z']);
    expect(await scheduler.runUntil(now)).toBe(1);
    expect(poster.writes).toHaveLength(1);
    expect(poster.writes[0]?.kind).toBe('post');
    expect(parseProblems(poster.writes[0]?.activity.attachments?.[0]?.content)).toEqual([]);
    expect(postedTexts(0)).toContain('Recovery readiness');
    expect(postedTexts(0).join('\n')).not.toContain('since the last report');
    expect(scheduler.pending.map((p) => p.when.toISOString())).toEqual(['2026-11-30T08:00:00.000Z']);

    // During the week Ravi registers an email method: he now has two.
    const email = (sim.tenant.methods.get(USERS.adele.id) ?? []).find((m) => m.type === 'email') as StoredMethod;
    sim.tenant.methods.get(RAVI)?.push({ ...email });
    now = new Date(now.getTime() + 168 * HOUR_MS);
    expect(await scheduler.runUntil(now)).toBe(1);
    const second = postedTexts(1);
    expect(second).toContain('Since the last report (2026-11-23 08:00 UTC): 1 change.');
    expect(second).toContain('Users with fewer than two methods: ❌ Fail → ✅ Pass. Was: 1 of 10 users (10%) have fewer than two methods.');

    // Nothing moves in the next week: the post says so.
    now = new Date(now.getTime() + 168 * HOUR_MS);
    await scheduler.runUntil(now);
    expect(postedTexts(2)).toContain('No change since the last report (2026-11-30 08:00 UTC).');
  });

  it('keeps the rhythm across a restart: the next post is due a period after the last one', async () => {
    await startReadinessSchedule(deps());
    await scheduler.runUntil(now);
    expect(poster.writes).toHaveLength(1);
    // The bot restarts a day and a half later, with the same storage and a fresh scheduler.
    now = new Date('2026-11-24T20:00:00.000Z');
    scheduler = new ManualScheduler();
    await startReadinessSchedule(deps());
    expect(scheduler.pending.map((p) => p.when.toISOString())).toEqual(['2026-11-30T08:00:00.000Z']);
    expect(await scheduler.runUntil(now)).toBe(0);
    expect(poster.writes).toHaveLength(1);
  });

  it('with several instances holding the schedule, each report is posted once', async () => {
    const instances = [
      deps(),
      { ...deps(), scheduler: new ManualScheduler(), poster: new RecordingPoster() },
      { ...deps(), scheduler: new ManualScheduler(), poster: new RecordingPoster() },
    ];
    for (const instance of instances) await startReadinessSchedule(instance);
    const run = async () => {
      for (const instance of instances) await (instance.scheduler as ManualScheduler).runUntil(now);
    };
    const posts = () => instances.reduce((n, i) => n + (i.poster as RecordingPoster).writes.length, 0);
    await run();
    expect(posts()).toBe(1);
    now = new Date(now.getTime() + 168 * HOUR_MS);
    await run();
    expect(posts()).toBe(2);
    // Every instance still holds a timer for the next period.
    expect(instances.every((i) => (i.scheduler as ManualScheduler).pending.length === 1)).toBe(true);
  });

  it('logs a failed run, posts nothing, and still schedules the next', async () => {
    const working = deps();
    let calls = 0;
    await runScheduledReadiness(deps(() => (++calls === 1 ? Promise.reject(new Error('boom')) : working.assess())));
    expect(poster.writes).toHaveLength(0);
    expect(logs.some((l) => l.level === 'error' && l.message.startsWith('scheduled readiness report failed'))).toBe(true);
    expect(scheduler.pending.map((p) => p.when.toISOString())).toEqual(['2026-11-30T08:00:00.000Z']);
    // A period later it is tried again, and posts.
    now = new Date('2026-11-30T08:00:00.000Z');
    expect(await scheduler.runUntil(now)).toBe(1);
    expect(poster.writes).toHaveLength(1);
  });
});
