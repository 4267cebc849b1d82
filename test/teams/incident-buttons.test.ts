import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncidentCase } from '../../src/domain/incident';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { FileStorage } from '../../src/store/file-storage';
import { StorageIncidentStore } from '../../src/store/storage-incident-store';
import { CardSigner } from '../../src/teams/card-signature';
import { IncidentVerb } from '../../src/views/verbs';
import { DEFAULT_THREAD } from '../helpers/bot-harness';
import { BotInstance, FakeConnector, TEST_SIGNING_KEY, type InvokeBody, type Person } from '../helpers/bot-over-http';
import { TENANT_ID, USERS } from '../helpers/demo-ids';
import { incidentSeed, incidentUserId, SYNC_ACCOUNT } from '../helpers/incident-tenant';
import { waitFor } from '../helpers/spawn-bot';
import { PROCESSES } from '../helpers/test-clock';
import { answerText as text } from '../attack/attack-world';

/**
 * Issue 18, "incidents on cards", over HTTP: one demo bot process on file storage, the simulated tenant after a sync
 * incident, and the Bot Connector on loopback. Each button runs the typed command's use case, is answered in place
 * (the card, or the refusal with its true reason), is journaled on the incident, and edits the incident's one card in
 * the thread for everyone.
 */
jest.setTimeout(180_000);

const CARD = 'application/vnd.microsoft.card.adaptive';
/** The sync account deleted user i at START + i seconds. */
const START = new Date(PROCESSES.now().getTime() - 3 * 3_600_000);
const at = (seconds: number): string => new Date(START.getTime() + seconds * 1000).toISOString();

let simulator: RunningSimulator;
let connector: FakeConnector;
let folder: string;
let bot: BotInstance;
let incidents: StorageIncidentStore;

beforeAll(async () => {
  simulator = await startSimulator({ now: PROCESSES.now, seed: incidentSeed({ deleted: 12, startedAt: START }) });
  connector = await FakeConnector.start();
  folder = await mkdtemp(join(tmpdir(), 'entra-recovery-incident-'));
  bot = await BotInstance.start('incidents', { SIMULATOR_URL: simulator.url, DATA_DIR: folder }, connector);
  incidents = new StorageIncidentStore(new FileStorage(folder));
});
afterAll(async () => {
  await bot?.stop('SIGKILL');
  await connector?.close();
  await simulator?.close();
  await rm(folder, { recursive: true, force: true });
});

const get = async (id: string): Promise<IncidentCase> => (await incidents.get(id))!.value;
const verbsOf = (json: string): string[] => [...json.matchAll(/"verb":"([^"]+)"/g)].map((m) => m[1] ?? '');

/** Megan opens an incident over the users deleted in seconds [from, to); its id and the message of its card. */
async function open(from: number, to: number): Promise<{ id: string; card: string }> {
  const replies = await bot.message(`incident ${SYNC_ACCOUNT.upn} from ${at(from - 0.5)} to ${at(to - 0.5)}`, USERS.megan);
  const id = /Incident (IN-[0-9A-Z]{8})/.exec(replies)?.[1];
  const card = connector.writes.find((w) => w.kind === 'post' && JSON.stringify(w.activity).includes(`Incident ${id}`))?.activityId;
  if (!id || !card) throw new Error(`no incident opened: ${replies}`);
  return { id, card };
}

/** A click on the incident's card as last drawn (its current version), or at the version given. */
async function click(verb: string, id: string, by: Person, extra: Record<string, unknown> = {}, version?: number): Promise<InvokeBody> {
  return bot.click(verb, { incidentId: id, version: version ?? (await get(id)).version ?? 0, ...extra }, by);
}

/** The incident's card in the thread as everyone sees it now: its message as last posted or edited. */
const shared = (activityId: string): string => JSON.stringify(connector.writes.filter((w) => w.activityId === activityId).at(-1)?.activity ?? {});
const lastJournal = async (id: string): Promise<unknown> => (await get(id)).journal.at(-1);
const restored = (i: number): number =>
  simulator.tenant.audits.filter((a) => a.activityDisplayName === 'Restore user' && a.targetResources[0]?.id === incidentUserId(i)).length;

describe('incident cards: Approve, Deny, Start and Retry failed', () => {
  it('approve twice, then start: each click answered in place, refusals with their true reason, the thread card edited', async () => {
    const { id, card } = await open(0, 3);
    expect(verbsOf(shared(card))).toEqual([IncidentVerb.approve, IncidentVerb.deny]);
    const opened = await get(id);
    expect(opened).toMatchObject({ version: 1, stateVersion: 1, state: 'awaitingApproval' });

    // Megan (helpdesk) is no approver; a requester who is one is refused as the requester (the attack suite, Hana).
    for (const person of [USERS.megan, USERS.grady]) {
      expect(text(await click(IncidentVerb.approve, id, person))).toBe(
        'Only members of the approver groups can decide on an incident. (APPROVAL.NOT_APPROVER)',
      );
      expect(await lastJournal(id)).toMatchObject({ text: `Refused: ${IncidentVerb.approve}`, code: 'APPROVAL.NOT_APPROVER', by: { name: person.name } });
    }
    expect((await get(id)).version).toBe(1);

    const edits = connector.writes.length;
    const first = await click(IncidentVerb.approve, id, USERS.alex, { comment: 'Sync team confirmed the bad run' });
    expect(first.type).toBe(CARD);
    expect(text(first)).toContain('Approved by Alex Wilber (\\"Sync team confirmed the bad run\\") (1 of 2).');
    expect(verbsOf(text(first))).toEqual([IncidentVerb.approve, IncidentVerb.deny]);
    expect(connector.writes.slice(edits).map((w) => ({ kind: w.kind, activityId: w.activityId }))).toEqual([{ kind: 'update', activityId: card }]);
    expect(shared(card)).toContain('(1 of 2)');
    expect(await lastJournal(id)).toMatchObject({ text: 'Approved (1 of 2). Sync team confirmed the bad run', by: { name: USERS.alex.name } });

    expect(text(await click(IncidentVerb.approve, id, USERS.alex))).toMatch(/\(CASE\.ALREADY_DECIDED\)$/);
    expect(text(await click(IncidentVerb.deny, id, USERS.patti, { denyReason: '  ' }))).toBe('Say why the incident is denied. (INPUT.REASON_REQUIRED)');
    // Patti's card was drawn at the opening (version 1): the state has not changed since, so it is still good.
    const second = await click(IncidentVerb.approve, id, USERS.patti, {}, 1);
    expect(verbsOf(text(second))).toEqual([IncidentVerb.start]);
    expect(verbsOf(shared(card))).toEqual([IncidentVerb.start]);
    const approved = await get(id);
    expect(approved).toMatchObject({ state: 'approved', approvals: [{ by: { name: USERS.alex.name } }, { by: { name: USERS.patti.name } }] });

    // A card drawn before the approval is stale: the current card is shown, nothing decided.
    const stale = await click(IncidentVerb.deny, id, USERS.patti, { denyReason: 'changed my mind' }, 1);
    expect(stale.type).toBe(CARD);
    expect(verbsOf(text(stale))).toEqual([IncidentVerb.start]);
    expect(await lastJournal(id)).toMatchObject({ text: `Refused: ${IncidentVerb.deny}`, code: 'CARD.STALE' });
    expect(text(await click(IncidentVerb.start, id, USERS.alex))).toBe('Only the requester starts the run. (CASE.NOT_REQUESTER)');
    expect(await get(id)).toMatchObject({ state: 'approved', version: approved.version });

    const started = await click(IncidentVerb.start, id, USERS.megan);
    expect(started.type).toBe(CARD);
    expect(text(started)).toContain('Restoring users');
    await waitFor(async () => (await get(id)).state === 'completed', `${id} to complete`, 60_000);
    expect([0, 1, 2].map(restored)).toEqual([1, 1, 1]);
    expect(shared(card)).toContain('Run finished');
    expect(verbsOf(shared(card))).toEqual([]);
    // One card for the incident: every change edited the message that answered the opening.
    expect(connector.writes.filter((w) => w.kind === 'post' && JSON.stringify(w.activity).includes(`Incident ${id}`)).map((w) => w.activityId)).toEqual([card]);
  });

  it('a failed user gets a Retry-failed button for the requester, which runs only that user again', async () => {
    simulator.faults.add({
      path: new RegExp(`/deletedItems/${incidentUserId(4)}/restore$`),
      kind: 'error',
      status: 403,
      code: 'Authorization_RequestDenied',
      times: 1,
    });
    const { id, card } = await open(3, 6);
    await click(IncidentVerb.approve, id, USERS.alex);
    await click(IncidentVerb.approve, id, USERS.patti);
    expect((await click(IncidentVerb.start, id, USERS.megan)).type).toBe(CARD);
    await waitFor(async () => (await get(id)).state === 'completed', `${id} to complete`, 60_000);
    expect((await get(id)).results[incidentUserId(4)]).toMatchObject({ status: 'failed', error: 'HTTP 403 Authorization_RequestDenied' });
    await waitFor(() => Promise.resolve(verbsOf(shared(card)).includes(IncidentVerb.retryFailed)), 'the retry button on the thread card');
    expect(shared(card)).toContain('Retry the 1 failed user(s)');

    expect(text(await click(IncidentVerb.retryFailed, id, USERS.alex))).toBe('Only the requester retries the failed users. (CASE.NOT_REQUESTER)');
    expect(text(await click(IncidentVerb.start, id, USERS.megan))).toMatch(/Incident IN-\w+ is completed\. \(CASE\.WRONG_STATE\)$/);
    const retried = await click(IncidentVerb.retryFailed, id, USERS.megan);
    expect(retried.type).toBe(CARD);
    await waitFor(async () => (await get(id)).runs === 2 && (await get(id)).state === 'completed', `${id} run 2`, 60_000);
    expect((await get(id)).results[incidentUserId(4)]).toMatchObject({ status: 'restored', run: 2 });
    expect([3, 4, 5].map(restored)).toEqual([1, 1, 1]);
    await waitFor(() => Promise.resolve(verbsOf(shared(card)).length === 0), 'the thread card without buttons');
  });

  it('deny with a reason ends the incident: no buttons, and a later click on the old card is stale', async () => {
    const { id, card } = await open(6, 8);
    const denied = await click(IncidentVerb.deny, id, USERS.alex, { denyReason: 'The sync run was intended: offboarding' });
    expect(text(denied)).toContain('Denied: nothing was changed');
    expect(verbsOf(text(denied))).toEqual([]);
    expect(verbsOf(shared(card))).toEqual([]);
    expect(await lastJournal(id)).toMatchObject({ text: 'Denied: The sync run was intended: offboarding', by: { name: USERS.alex.name } });
    const late = await click(IncidentVerb.approve, id, USERS.patti, {}, 1);
    expect(verbsOf(text(late))).toEqual([]);
    expect(await lastJournal(id)).toMatchObject({ code: 'CARD.STALE', by: { name: USERS.patti.name } });
    expect([6, 7].map(restored)).toEqual([0, 0]);
  });

  it('refuses a card that is not this incident\u2019s in this thread, a forged or automatic click and an oversized comment, and journals each', async () => {
    const { id } = await open(8, 10);
    const version = (await get(id)).version ?? 0;
    const alex = { id: `29:${USERS.alex.id}`, name: USERS.alex.name, aadObjectId: USERS.alex.id };
    const caseSig = new CardSigner(TEST_SIGNING_KEY).sign({ tenantId: TENANT_ID, conversationId: DEFAULT_THREAD, caseId: id, version });
    const refusals: [string, Promise<{ body: InvokeBody }>, RegExp][] = [
      [
        'a case card\u2019s signature for the same id',
        bot.invoke(IncidentVerb.approve, { incidentId: id, version }, { from: alex, sig: { literal: caseSig } }),
        /signature does not match.*\(CARD\.INVALID\)$/,
      ],
      [
        'the card replayed in another thread',
        bot.invoke(
          IncidentVerb.approve,
          { incidentId: id, version },
          { from: alex, conversationId: `${DEFAULT_THREAD}7`, sig: { signedFor: { conversationId: DEFAULT_THREAD } } },
        ),
        /signature does not match.*\(CARD\.INVALID\)$/,
      ],
      ['no signature', bot.invoke(IncidentVerb.approve, { incidentId: id, version }, { from: alex, sig: 'missing' }), /\(CARD\.INVALID\)$/],
      ['the incident id as a case id', bot.invoke(IncidentVerb.approve, { caseId: id, version }, { from: alex }), /not understood.*\(INPUT\.MALFORMED\)$/],
    ];
    for (const [name, sent, expected] of refusals) expect(`${name}: ${text((await sent).body)}`).toMatch(expected);
    expect((await get(id)).journal).toHaveLength(1);

    expect(text((await bot.invoke(IncidentVerb.approve, { incidentId: id, version }, { from: alex, conversationId: `${DEFAULT_THREAD}7` })).body)).toBe(
      `Incident ${id} belongs to another conversation; act on it there. Nothing was changed. (CARD.INVALID)`,
    );
    expect(text((await bot.invoke(IncidentVerb.approve, { incidentId: id, version }, { from: alex, trigger: 'automatic' })).body)).toBe(
      'Only a click can do this; nothing was changed. (CARD.INVALID)',
    );
    expect(text(await click(IncidentVerb.approve, id, USERS.alex, { comment: 'x'.repeat(501) }))).toBe(
      '"comment" is 501 characters; at most 500 are accepted. Shorten it and click again. Nothing was changed. (INPUT.TOO_LONG)',
    );
    const after = await get(id);
    expect(after.journal.slice(1).map((j) => ({ text: j.text, code: j.code, by: j.by?.name }))).toEqual(
      ['CARD.INVALID', 'CARD.INVALID', 'INPUT.TOO_LONG'].map((code) => ({ text: `Refused: ${IncidentVerb.approve}`, code, by: USERS.alex.name })),
    );
    expect(after).toMatchObject({ state: 'awaitingApproval', approvals: [], version });
  });

  it('the typed commands keep working and edit the same card; their answers are copies without buttons', async () => {
    const { id, card } = await open(10, 12);
    const typed = await bot.message(`incident approve ${id} checked by phone`, USERS.alex);
    expect(typed).toContain('(1 of 2)');
    expect(verbsOf(typed)).toEqual([]);
    expect(shared(card)).toContain('Approved by Alex Wilber (\\"checked by phone\\") (1 of 2).');
    expect(verbsOf(shared(card))).toEqual([IncidentVerb.approve, IncidentVerb.deny]);
    await bot.message(`incident approve ${id}`, USERS.patti);
    expect(verbsOf(shared(card))).toEqual([IncidentVerb.start]);
    expect(await bot.message(`incident start ${id}`, USERS.megan)).toContain('run 1 started');
    await waitFor(async () => (await get(id)).state === 'completed', `${id} to complete`, 60_000);
    expect([10, 11].map(restored)).toEqual([1, 1]);
  });
});
