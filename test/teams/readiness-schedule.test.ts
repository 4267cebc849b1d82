import { join } from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { assessTenant } from '../../src/app/readiness-report';
import { SimulatedTenantCredential } from '../../src/entra/credentials';
import { createGraphClient } from '../../src/entra/graph-client';
import { GraphReadinessReader } from '../../src/entra/graph-readiness';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import type { StoredMethod } from '../../src/simulator/tenant-state';
import { runScheduledReadiness, startReadinessSchedule, type ReadinessScheduleDeps } from '../../src/teams/readiness-schedule';
import { CardRenderer } from '../../src/views/card-renderer';
import { parseProblems, textsOf } from '../helpers/card-checks';
import { ManualScheduler, RecordingPoster, recordingLogger, type LogLine } from '../helpers/bot-harness';
import { TENANT_ID, USERS } from '../helpers/demo-ids';

const HOUR_MS = 3_600_000;
const RAVI = '9a1b7c20-000b-4e8a-9c11-00000000000b';
const CHANNEL = { tenantId: TENANT_ID, conversationId: '19:readiness@thread.tacv2', serviceUrl: 'https://smba.example/', channelId: 'msteams' };

describe('readiness posted on a schedule to the configured channel', () => {
  let sim: RunningSimulator;
  let now: Date;
  let poster: RecordingPoster;
  let scheduler: ManualScheduler;
  let logs: LogLine[];
  let storage: MemoryStorage;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  const deps = (assess?: ReadinessScheduleDeps['assess']): ReadinessScheduleDeps => {
    const client = createGraphClient({ baseUrl: sim.url, credential: new SimulatedTenantCredential(), retryDelaySeconds: 1, maxRetries: 1 });
    const reader = new GraphReadinessReader(client, sim.url, { now: () => now });
    return {
      assess: assess ?? (() => assessTenant(reader)),
      poster,
      storage,
      cards: new CardRenderer(join(__dirname, '..', '..', 'cards'), true),
      clock: { now: () => now },
      scheduler,
      logger: recordingLogger(logs),
      thread: CHANNEL,
      everyHours: 168,
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
    storage = new MemoryStorage();
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
    expect(second).toContain('Users with fewer than two methods: ❌ Fail → ✅ Pass. Was: 1 of 9 users (11.1%) have fewer than two methods.');

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

  it('logs a failed run, posts nothing, and still schedules the next', async () => {
    await runScheduledReadiness(deps(() => Promise.reject(new Error('boom'))));
    expect(poster.writes).toHaveLength(0);
    expect(logs.some((l) => l.level === 'error' && l.message.startsWith('scheduled readiness report failed'))).toBe(true);
    expect(scheduler.pending.map((p) => p.when.toISOString())).toEqual(['2026-11-30T08:00:00.000Z']);
  });
});
