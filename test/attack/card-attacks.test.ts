import type { RecoveryCase } from '../../src/domain/case';
import { Verb } from '../../src/views/verbs';
import { revealedPass } from '../helpers/bot-harness';
import type { BotInstance, InvokeBody } from '../helpers/bot-over-http';
import { USERS } from '../helpers/demo-ids';
import { inParallel } from '../helpers/in-parallel';
import { AttackWorld, answerText, codeOf, warned, type Target } from './attack-world';
import { absentVerbs, ATTACKS, legitimate, PRESENT, TARGET_OF, type Attack, type StateName } from './card-attack-rows';
import { DUPLICATES, INJECTIONS, type Duplicate } from './duplicate-and-injection-rows';
import { accepted } from '../helpers/invoke-answers';

/**
 * Issue 15, "an attacker's suite in the project": the bot attacked from outside, over HTTP only, as two real processes
 * (demo mode: inbound authentication off, loopback) on one Azurite Blob store and one simulated tenant. Every card
 * verb is clicked where its button is (by the wrong person, replayed, re-routed, forged, from another channel or
 * tenant) and where it is not; `recover` gets injection payloads; double clicks and bursts reach one or both
 * instances; then every secret the bot revealed is looked for in the thread, the logs and the store.
 *
 * Each row asserts what the outsider sees (a clear refusal naming a code, or for a legitimate duplicate the same
 * answer and exactly one effect) and that nothing changed where nothing should: the target as the tenant's Graph API
 * shows it (user, methods, audit records about them; at the end the whole tenant), the stored case (only the journal
 * line of the refusal added), and the thread (no post or edit). Each row gets its own target user and case; the
 * processes start once for the file.
 */
jest.setTimeout(600_000);

const STATES = Object.keys(PRESENT) as StateName[];
type Built = { readonly caseId: string; readonly target: Target };

let world: AttackWorld;
const fixtures = new Map<string, Built>();
/** Every answer the bot gave to a click in this file, and the secrets among them (the Reveal answers). */
const answers: InvokeBody[] = [];
const secrets: string[] = [];
let since = '';
let tenantBefore: unknown;

const attackRows = STATES.flatMap((state) =>
  PRESENT[state].flatMap((verb) => ATTACKS.filter((a) => a.applies(verb, state)).map((attack) => ({ state, verb, attack }))),
);
const absentRows = STATES.flatMap((state) => absentVerbs(state).map((verb) => ({ state, verb })));

async function build(state: StateName, target: Target, bot: BotInstance): Promise<string> {
  switch (state) {
    case 'triaged':
      return world.opened(target, bot);
    case 'planned':
      return world.planned(target, bot);
    case 'awaiting':
    case 'awaitingPrivileged':
    case 'awaitingOwnAccount':
      return world.awaiting(target, bot);
    case 'identity':
      return world.identity(target, bot);
    case 'fallback':
    case 'fallbackPrivileged':
    case 'fallbackOwnAccount':
      return world.fallback(target, bot);
    case 'password':
      return world.password(target, bot);
    case 'restore':
      return world.restore(target, bot);
    case 'optionalIdentity':
      return world.optionalIdentity(target, bot);
    case 'failed':
      return world.failed(target, bot);
    case 'denied':
      return world.denied(target, bot);
    case 'cancelled':
      return world.cancelled(target, bot);
    case 'tap':
    case 'check':
    case 'summary': {
      const built = await world[state](target, bot);
      secrets.push(...built.shown.map((b) => revealedPass(b.value) ?? ''));
      return built.caseId;
    }
  }
}

const nextStepId = (c: RecoveryCase): string => c.plan?.find((s) => c.steps?.[s.id]?.status !== 'done')?.id ?? 'no-step';
/** The case without what a journaled refusal changes: its journal, refusal count, version and time stamp. */
const withoutJournal = (c: RecoveryCase): unknown =>
  Object.fromEntries(Object.entries(c).filter(([k]) => !['journal', 'refusals', 'version', 'updatedAt'].includes(k)));

beforeAll(async () => {
  const began = performance.now();
  const plan: { key: string; state: StateName }[] = [
    ...STATES.flatMap((state) => PRESENT[state].map((verb) => ({ key: `attack ${state} ${verb}`, state }))),
    ...STATES.map((state) => ({ key: `absent ${state}`, state })),
    ...DUPLICATES.map((d) => ({ key: `duplicate ${d.name}`, state: d.state })),
  ];
  const counts = { ordinary: 0, privileged: 0, approver: 0 };
  for (const p of plan) counts[TARGET_OF[p.state]] += 1;
  world = await AttackWorld.start(counts);
  await inParallel(plan, 6, async (p, i) => {
    const target = world.take(TARGET_OF[p.state]);
    fixtures.set(p.key, { caseId: await build(p.state, target, i % 2 ? world.b : world.a), target });
  });
  await Promise.all([...fixtures.values()].map((f) => world.settled(f.caseId)));
  since = world.now();
  tenantBefore = await world.tenantState();
  // eslint-disable-next-line no-console
  console.log(`attack suite: ${fixtures.size} cases built over HTTP in ${Math.round((performance.now() - began) / 1000)} s`);
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

it('has at least 250 attack rows over HTTP', () => {
  const total = attackRows.length + absentRows.length + INJECTIONS.length + DUPLICATES.length;
  // eslint-disable-next-line no-console
  console.log(
    `attack suite: ${attackRows.length} attacks on buttons, ${absentRows.length} buttons where they are not, ${INJECTIONS.length} injections, ${DUPLICATES.length} double clicks and bursts = ${total}`,
  );
  expect(total).toBeGreaterThanOrEqual(250);
});

/** The title of the card of the phase a case in this state is in (src/teams/thread-cards.ts phaseCard; cards/*.json). */
const PHASE_TITLE: Record<StateName, string> = {
  triaged: 'Triage of case',
  planned: 'Recovery plan for case',
  awaiting: 'Approval for case',
  awaitingPrivileged: 'Approval for case',
  awaitingOwnAccount: 'Approval for case',
  denied: 'Approval for case',
  cancelled: 'Recovery plan for case',
  summary: 'Summary of case',
  identity: 'Recovery of case',
  fallback: 'Recovery of case',
  fallbackPrivileged: 'Recovery of case',
  fallbackOwnAccount: 'Recovery of case',
  optionalIdentity: 'Recovery of case',
  password: 'Recovery of case',
  tap: 'Recovery of case',
  check: 'Recovery of case',
  restore: 'Recovery of case',
  failed: 'Recovery of case',
};
/** Buttons on a message of their own (a secret step's reveal message, a form message: form-view.ts), not on the phase card. */
const OWN_MESSAGE: readonly string[] = [
  Verb.revealPassword,
  Verb.revealTap,
  Verb.recordIdentity,
  Verb.requestFallback,
  Verb.approveFallback,
  Verb.refuseFallback,
  Verb.close,
];

/**
 * PRESENT is a table (each row needs its name before any case exists); this checks it against the thread. The
 * current phase's card must show exactly the table's buttons (the card's refresh action aside: the approval card keeps
 * it, for its audience only, after the decision), and every button of the table must be on some card of the case.
 * Older cards lose their buttons once the case moves past them (a revealed secret's message keeps its button until the
 * case ends): clicks on them are the absent rows' business.
 */
it('the current phase card of each state shows exactly the buttons PRESENT names', () => {
  const shown = (state: StateName): unknown => {
    const cards = world.threadCards(fixtures.get(`absent ${state}`)?.caseId ?? 'none');
    const phase = cards.filter((c) => c.title.startsWith(PHASE_TITLE[state]));
    return {
      phase: phase.flatMap((c) => c.verbs).filter((v) => v !== Verb.refreshApproval),
      missing: PRESENT[state].filter((v) => !cards.some((c) => c.verbs.includes(v))),
    };
  };
  const expected = (state: StateName): unknown => ({
    phase: PRESENT[state].filter((v) => v !== Verb.refreshApproval && !OWN_MESSAGE.includes(v)).sort(),
    missing: [],
  });
  expect(Object.fromEntries(STATES.map((s) => [s, shown(s)]))).toEqual(Object.fromEntries(STATES.map((s) => [s, expected(s)])));
});

/** One refused click: the answer, the case, the thread and the target in the tenant, before and after. */
async function refusedClick(key: string, verb: string, state: StateName, index: number, attack?: Attack): Promise<void> {
  const f = fixtures.get(key);
  if (!f) throw new Error(`no fixture ${key}`);
  const [before, user, audits] = await Promise.all([
    world.get(f.caseId),
    world.userState(f.target.id),
    world.auditsAbout(f.target.id, since).then((a) => a.length),
  ]);
  const legit = legitimate(verb, TARGET_OF[state], nextStepId(before));
  const made = attack
    ? attack.click(legit, verb, f.target, before.version)
    : { options: { from: { id: `29:${legit.by.id}`, name: legit.by.name, aadObjectId: legit.by.id } } };
  const bot = index % 2 ? world.b : world.a;
  const writes = world.writesOf(f.caseId);

  const { body, activityId } = await bot.invoke(
    verb,
    { caseId: f.caseId, version: before.version, ...legit.extra, ...(made.data ?? {}) },
    { trigger: legit.trigger ?? 'manual', ...made.options },
  );
  answers.push(body);
  const text = answerText(body);
  const after = await world.get(f.caseId);
  const added = after.journal.slice(before.journal.length);

  if (attack) expect(text).toMatch(attack.codes);
  const shownOnly = !attack && verb === Verb.refreshApproval && accepted(body);
  if (!attack && !shownOnly) expect(text).toMatch(/\([A-Z]+\.[A-Z_]+\)$/);
  if (shownOnly || (attack && attack.recorded !== 'journal')) {
    // Nothing trusted to journal on (or a refresh shown to one person): the case is untouched, the bot warns with the activity id.
    expect(after).toEqual(before);
    if (attack && attack.recorded !== 'journal') {
      await warned(bot, activityId, attack.recorded.log);
    }
  } else {
    const told = codeOf(text) ?? 'CARD.STALE';
    expect(added.map((j) => ({ event: j.event, detail: j.detail }))).toEqual([{ event: `Refused: ${verb}`, detail: told }]);
    const by = attack?.journalBy?.(legit) ?? (attack ? undefined : legit.by.name);
    if (by) expect(added[0]?.by).toBe(by);
    expect(withoutJournal(after)).toEqual(withoutJournal(before));
  }
  expect(world.writesOf(f.caseId)).toBe(writes);
  const [userAfter, auditsAfter] = await Promise.all([world.userState(f.target.id), world.auditsAbout(f.target.id, since)]);
  expect(userAfter).toEqual(user);
  expect(auditsAfter).toHaveLength(audits);
}

describe('every button where it appears, attacked', () => {
  attackRows.forEach(({ state, verb, attack }, i) => {
    it(`${verb} on a case ${state}: ${attack.name}`, () => refusedClick(`attack ${state} ${verb}`, verb, state, i, attack));
  });
});

describe('every button where it does not appear, clicked by the right person with a valid card', () => {
  absentRows.forEach(({ state, verb }, i) => {
    it(`${verb} on a case ${state}`, () => refusedClick(`absent ${state}`, verb, state, i));
  });
});

describe('injection payloads in recover', () => {
  INJECTIONS.forEach((payload, i) => {
    it(`recover ${JSON.stringify(payload.text.slice(0, 60))}${payload.text.length > 60 ? '…' : ''} (${payload.name})`, async () => {
      const ids = [...(await world.cases.ids())].sort();
      const writes = world.connector.writes.length;
      const reply = await (i % 2 ? world.b : world.a).message(`recover ${payload.text}`, USERS.megan);
      expect(reply).not.toMatch(/Recovery case RC-/);
      expect(reply).toMatch(/\([A-Z]+\.[A-Z_]+\)/);
      // One reply to the person who typed it, nothing else in any thread; no case stored.
      expect(world.connector.writes.slice(writes).map((w) => w.kind)).toEqual(['post']);
      expect([...(await world.cases.ids())].sort()).toEqual(ids);
    });
  });

  it('after every refused click and injection above, the whole tenant is as it was (users, methods, deleted users, audit count)', async () => {
    expect(await world.tenantState()).toEqual(tenantBefore);
  });
});

describe('double clicks and bursts: exactly one effect, every other click answered and journaled', () => {
  DUPLICATES.forEach((d: Duplicate) => {
    it(d.name, async () => {
      const f = fixtures.get(`duplicate ${d.name}`);
      if (!f) throw new Error(`no fixture for ${d.name}`);
      // Settled when the fixtures were built; nothing else touches this case.
      const before = await world.get(f.caseId);
      const legit = legitimate(d.verb, TARGET_OF[d.state], nextStepId(before));
      const data = { caseId: f.caseId, version: before.version, ...legit.extra };
      const from = { id: `29:${legit.by.id}`, name: legit.by.name, aadObjectId: legit.by.id };
      const bodies = (await Promise.all(d.instances.map((k) => (k === 'A' ? world.a : world.b).invoke(d.verb, data, { from })))).map((r) => r.body);
      if (!d.reveals) answers.push(...bodies);
      const after = await world.settled(f.caseId);
      const added = after.journal.slice(before.journal.length).filter((j) => j.by === legit.by.name);
      const effects = added.filter((j) => !j.event.startsWith('Refused:'));
      const refused = added.filter((j) => j.event === `Refused: ${d.verb}`);
      const cards = bodies.filter((b) => accepted(b));
      const refusals = bodies.filter((b) => !accepted(b));
      // Every click is answered: with the card (the effect, or the same card again) or with a refusal naming a code.
      for (const b of refusals) expect(answerText(b)).toMatch(/\([A-Z]+\.[A-Z_]+\)$/);
      expect(cards.length).toBeGreaterThanOrEqual(1);
      // Exactly one effect; every other click is in the journal as a refusal of that person (a stale card is answered
      // with the current card and journaled as CARD.STALE).
      expect(effects.map((j) => j.event)).toEqual(d.effect.map((e): unknown => (typeof e === 'string' ? e : expect.stringMatching(e))));
      expect(refused).toHaveLength(d.instances.length - 1);
      const all = after.journal.slice(before.journal.length);
      for (const event of d.once ?? []) expect(all.filter((j) => j.event === event)).toHaveLength(1);
      await d.tenant?.(world, f.target.id, since);
      if (d.reveals) {
        const shown = new Set(cards.map((b) => revealedPass(b.value)));
        expect(shown.size).toBe(1);
        secrets.push(...[...shown].map((s) => s ?? ''));
      }
    });
  });
});

describe('secret scan', () => {
  it('no password or TAP the bot revealed appears in the thread, either process\u2019s logs, any stored blob, or any other answer', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    for (const s of secrets) expect(s).toMatch(/^\S{8,48}$/);
    const blobs = await world.blobs.keys('');
    const stored = JSON.stringify(await world.blobs.read([...blobs]));
    const places: Record<string, string> = {
      thread: world.connector.everything(),
      'process A logs': world.a.output(),
      'process B logs': world.b.output(),
      'stored blobs': stored,
      'other answers': JSON.stringify(answers),
    };
    expect(stored.length).toBeGreaterThan(1000);
    const leaks = secrets.flatMap((s) =>
      Object.entries(places)
        .filter(([, text]) => text.includes(s))
        .map(([where]) => `${s.slice(0, 3)}… in ${where}`),
    );
    expect(leaks).toEqual([]);
  });
});
