import type { IncidentCase } from '../../src/domain/incident';
import { StorageIncidentStore } from '../../src/store/storage-incident-store';
import { IncidentVerb } from '../../src/views/verbs';
import type { BotInstance, Person } from '../helpers/bot-over-http';
import { USERS } from '../helpers/demo-ids';
import { incidentUserId, SYNC_ACCOUNT, withIncident } from '../helpers/incident-tenant';
import { waitFor } from '../helpers/spawn-bot';
import { inParallel } from '../helpers/in-parallel';
import { PROCESSES } from '../helpers/test-clock';
import { AttackWorld, answerText, CARD, codeOf, warned } from './attack-world';
import {
  absentIncidentVerbs,
  INCIDENT_ATTACKS,
  INCIDENT_DUPLICATES,
  INCIDENT_PRESENT,
  legitimateIncident,
  REQUESTER,
  type IncidentAttack,
  type IncidentStateName,
} from './incident-attack-rows';

/**
 * Issue 18, incidents on cards, attacked as the case cards are (card-attacks.test.ts): two demo processes on one Azure
 * Blob store (Azurite) and one simulated tenant in which a sync account deleted users, everything over HTTP. Each
 * incident button is clicked where it appears by the wrong person, replayed, re-routed, forged or oversized, and where
 * it does not appear by the right person; double clicks and bursts reach one or both instances. Each row checks the
 * refusal and where it is recorded, the stored incident (only the journal line of the refusal added), the thread (no
 * post or edit) and the incident's user in the tenant (no restore). Each incident covers one deleted user of its own.
 */
jest.setTimeout(600_000);

const STATES = Object.keys(INCIDENT_PRESENT) as IncidentStateName[];
/** The sync account deleted user i at START + i seconds; incident k covers exactly user k. */
const START = new Date(PROCESSES.now().getTime() - 3 * 3_600_000);
const at = (seconds: number): string => new Date(START.getTime() + seconds * 1000).toISOString();

interface Built {
  readonly id: string;
  readonly user: string;
}

let world: AttackWorld;
let incidents: StorageIncidentStore;
const fixtures = new Map<string, Built>();

const attackRows = STATES.flatMap((state) =>
  INCIDENT_PRESENT[state].flatMap((verb) => INCIDENT_ATTACKS.filter((a) => a.applies(verb)).map((attack) => ({ state, verb, attack }))),
);
const absentRows = STATES.flatMap((state) => absentIncidentVerbs(state).map((verb) => ({ state, verb })));
const plan: { key: string; state: IncidentStateName }[] = [
  ...STATES.flatMap((state) => INCIDENT_PRESENT[state].map((verb) => ({ key: `attack ${state} ${verb}`, state }))),
  ...STATES.map((state) => ({ key: `absent ${state}`, state })),
  ...INCIDENT_DUPLICATES.map((d) => ({ key: `duplicate ${d.name}`, state: d.state })),
  { key: 'two approvers at once', state: 'awaiting' },
];

const get = async (id: string): Promise<IncidentCase> => {
  const stored = await incidents.get(id);
  if (!stored) throw new Error(`no incident ${id}`);
  return stored.value;
};

/** A click on the incident's card as drawn now, by a person; throws unless it is answered with the card. */
async function must(bot: BotInstance, verb: string, id: string, by: Person, extra: Record<string, unknown> = {}): Promise<void> {
  const body = await bot.click(verb, { incidentId: id, version: (await get(id)).version ?? 0, ...extra }, by);
  if (body.type !== CARD) throw new Error(`${verb} by ${by.name} on ${id} was refused: ${answerText(body)}`);
}

async function completed(id: string, runs: number): Promise<void> {
  await waitFor(
    async () => {
      const c = await get(id);
      return c.state === 'completed' && c.runs === runs;
    },
    `${id} run ${runs} to complete`,
    60_000,
  );
}

/** Hana opens the incident over user k (one user) and takes it to the state, as the people in the thread would. */
async function build(state: IncidentStateName, k: number, bot: BotInstance): Promise<string> {
  if (state === 'failed') {
    world.simulator.faults.add({
      path: new RegExp(`/deletedItems/${incidentUserId(k)}/restore$`),
      kind: 'error',
      status: 403,
      code: 'Authorization_RequestDenied',
      times: 1,
    });
  }
  const reply = await bot.message(`incident ${SYNC_ACCOUNT.upn} from ${at(k - 0.5)} to ${at(k + 0.5)}`, REQUESTER);
  const id = /Incident (IN-[0-9A-Z]{8})/.exec(reply)?.[1];
  if (!id) throw new Error(`no incident for user ${k}: ${reply.slice(0, 400)}`);
  if (state === 'awaiting') return id;
  if (state === 'denied') {
    await must(bot, IncidentVerb.deny, id, USERS.alex, { denyReason: 'The deletions were an intended offboarding' });
    return id;
  }
  await must(bot, IncidentVerb.approve, id, USERS.alex);
  await must(bot, IncidentVerb.approve, id, USERS.patti);
  if (state === 'approved') return id;
  await must(bot, IncidentVerb.start, id, REQUESTER);
  await completed(id, 1);
  return id;
}

/** The incident without what a journaled refusal changes. */
const withoutJournal = (c: IncidentCase): unknown => Object.fromEntries(Object.entries(c).filter(([k]) => !['journal', 'refusals'].includes(k)));
/** Restores of the user in the tenant's audit log, and whether the user is back. */
const userInTenant = (id: string): unknown => ({
  restores: world.simulator.tenant.audits.filter((a) => a.activityDisplayName === 'Restore user' && a.targetResources[0]?.id === id).length,
  active: world.simulator.tenant.users.has(id) && !world.simulator.tenant.deletedUsers.has(id),
});

beforeAll(async () => {
  const began = performance.now();
  world = await AttackWorld.start({ ordinary: 0, privileged: 0, approver: 0 }, (seed) => withIncident(seed, { deleted: plan.length, startedAt: START }));
  incidents = new StorageIncidentStore(world.blobs);
  await inParallel(plan, 4, async (p, i) => {
    fixtures.set(p.key, { id: await build(p.state, i, i % 2 ? world.b : world.a), user: incidentUserId(i) });
  });
  // eslint-disable-next-line no-console
  console.log(`incident attack suite: ${fixtures.size} incidents built over HTTP in ${Math.round((performance.now() - began) / 1000)} s`);
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

it('has an attack row for every incident button and attack, and the cards show exactly the buttons the table names', () => {
  // eslint-disable-next-line no-console
  console.log(
    `incident attack suite: ${attackRows.length} attacks, ${absentRows.length} absent buttons, ${INCIDENT_DUPLICATES.length + 1} double clicks and bursts`,
  );
  expect(attackRows.length).toBeGreaterThanOrEqual(70);
  const shown = STATES.map((state) => {
    const id = fixtures.get(`absent ${state}`)?.id ?? 'none';
    const last = world.connector.writes.filter((w) => JSON.stringify(w.activity).includes(`Incident ${id}`)).at(-1);
    return [state, [...JSON.stringify(last?.activity ?? {}).matchAll(/"verb":"([^"]+)"/g)].map((m) => m[1])];
  });
  expect(Object.fromEntries(shown)).toEqual(INCIDENT_PRESENT);
});

/** One refused click: the answer, the incident, the thread and the user in the tenant, before and after. */
async function refusedClick(key: string, verb: string, index: number, attack?: IncidentAttack): Promise<void> {
  const f = fixtures.get(key);
  if (!f) throw new Error(`no fixture ${key}`);
  const before = await get(f.id);
  const tenant = userInTenant(f.user);
  const legit = legitimateIncident(verb);
  const made = attack
    ? attack.click(legit, verb, { id: f.id, version: before.version ?? 0 })
    : { options: { from: { id: `29:${legit.by.id}`, name: legit.by.name, aadObjectId: legit.by.id } } };
  const bot = index % 2 ? world.b : world.a;
  const writes = world.writesOf(f.id);

  const { body, activityId } = await bot.invoke(
    'verb' in made && made.verb ? made.verb : verb,
    { incidentId: f.id, version: before.version ?? 0, ...legit.extra, ...(made.data ?? {}) },
    made.options,
  );
  const text = answerText(body);
  const after = await get(f.id);
  const added = after.journal.slice(before.journal.length);
  if (attack) expect(text).toMatch(attack.codes);
  else expect(text).toMatch(/\([A-Z]+\.[A-Z_]+\)$/);

  if (attack && attack.recorded !== 'journal') {
    expect(after).toEqual(before);
    await warned(bot, activityId, attack.recorded.log);
  } else {
    const told = codeOf(text) ?? 'CARD.STALE';
    expect(added.map((j) => ({ text: j.text, code: j.code }))).toEqual([{ text: `Refused: ${verb}`, code: told }]);
    if (attack?.journalBy) expect(added[0]?.by?.name).toBe(attack.journalBy(legit));
    if (!attack) expect(added[0]?.by?.name).toBe(legit.by.name);
    expect(withoutJournal(after)).toEqual(withoutJournal(before));
  }
  expect(world.writesOf(f.id)).toBe(writes);
  expect(userInTenant(f.user)).toEqual(tenant);
}

describe('every incident button where it appears, attacked', () => {
  attackRows.forEach(({ state, verb, attack }, i) => {
    it(`${verb} on an incident ${state}: ${attack.name}`, () => refusedClick(`attack ${state} ${verb}`, verb, i, attack));
  });
});

describe('every incident button where it does not appear, clicked by the right person with a valid card', () => {
  absentRows.forEach(({ state, verb }, i) => {
    it(`${verb} on an incident ${state}`, () => refusedClick(`absent ${state}`, verb, i));
  });
});

describe('incident double clicks and bursts: exactly one effect, every other click answered and journaled', () => {
  INCIDENT_DUPLICATES.forEach((d) => {
    it(d.name, async () => {
      const f = fixtures.get(`duplicate ${d.name}`);
      if (!f) throw new Error(`no fixture for ${d.name}`);
      const before = await get(f.id);
      const tenant = userInTenant(f.user) as { restores: number };
      const legit = legitimateIncident(d.verb);
      const data = { incidentId: f.id, version: before.version ?? 0, ...legit.extra };
      const from = { id: `29:${legit.by.id}`, name: legit.by.name, aadObjectId: legit.by.id };
      const bodies = (await Promise.all(d.instances.map((k) => (k === 'A' ? world.a : world.b).invoke(d.verb, data, { from })))).map((r) => r.body);
      if (d.restores > 0) await completed(f.id, before.runs + 1);
      const after = await get(f.id);
      const mine = after.journal.slice(before.journal.length).filter((j) => j.by?.name === legit.by.name);
      for (const b of bodies.filter((x) => x.type !== CARD)) expect(answerText(b)).toMatch(/\([A-Z]+\.[A-Z_]+\)$/);
      expect(bodies.filter((b) => b.type === CARD).length).toBeGreaterThanOrEqual(1);
      expect(mine.filter((j) => !j.text.startsWith('Refused:')).map((j) => j.text)).toEqual(d.effect);
      expect(mine.filter((j) => j.text === `Refused: ${d.verb}`)).toHaveLength(d.instances.length - 1);
      expect(userInTenant(f.user)).toEqual({ restores: tenant.restores + d.restores, active: d.restores > 0 || tenant.restores > 0 });
    });
  });

  it('two approvers at once on both instances: both decisions count, the incident is approved', async () => {
    const f = fixtures.get('two approvers at once');
    if (!f) throw new Error('no fixture');
    const before = await get(f.id);
    const data = { incidentId: f.id, version: before.version ?? 0 };
    const bodies = await Promise.all([world.a.click(IncidentVerb.approve, data, USERS.alex), world.b.click(IncidentVerb.approve, data, USERS.patti)]);
    expect(bodies.map((b) => b.type)).toEqual([CARD, CARD]);
    const after = await get(f.id);
    expect(after.state).toBe('approved');
    expect(after.approvals.map((a) => a.by.name).sort()).toEqual([USERS.alex.name, USERS.patti.name]);
  });
});
