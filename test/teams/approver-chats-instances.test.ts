/**
 * Approval requests in the approvers' 1:1 chats across bot processes, over real HTTP: two instances (src/index.ts) on
 * one Blob store (Azurite), one simulated tenant, and a loopback Bot Connector that has a team roster and creates 1:1
 * chats (test/helpers/bot-over-http.ts). Every notification must reach each chat once, whichever instances hold the
 * work. The reminder, the escalation and the expiry are timers; a process cannot be made to wait an hour, so each is
 * reached the way a restart reaches it: the pair is stopped and a new pair starts later on the clock (CLOCK_OFFSET_MS),
 * where both instances' start-up sweeps find the timer due at once and race for it.
 */
import type { RecoveryCase } from '../../src/domain/case';
import { journalKeyFrom } from '../../src/config';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { BlobStorage } from '../../src/store/blob-storage';
import { StorageCaseStore } from '../../src/store/storage-case-store';
import { Verb } from '../../src/views/verbs';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { BotInstance, FakeConnector, TEST_SIGNING_KEY, type ConnectorWrite, type Person } from '../helpers/bot-over-http';
import { DEFAULT_THREAD } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';
import { waitFor } from '../helpers/spawn-bot';
import { PROCESSES } from '../helpers/test-clock';

jest.setTimeout(300_000);

const MINUTE = 60_000;
const chatOf = (p: Person): string => `a:chat-29:${p.id}`;

let azurite: RunningAzurite | undefined;
let simulator: RunningSimulator | undefined;
let connector: FakeConnector | undefined;
let running: BotInstance[] = [];
/** How far past PROCESSES the bots' (and the simulated tenant's) clock is. */
let shift = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  simulator = await startSimulator({ now: () => new Date(PROCESSES.now().getTime() + shift) });
  connector = await FakeConnector.start();
  for (const p of [USERS.alex, USERS.patti, USERS.nestor, USERS.miriam, USERS.grady]) connector.roster.add(p.id);
}, 60_000);

afterAll(async () => {
  await Promise.all(running.map((b) => b.stop('SIGKILL')));
  await connector?.close();
  await simulator?.close();
  await azurite?.stop();
});

const container = 'chat-cases';
const env = (): Record<string, string> => ({
  SIMULATOR_URL: simulator!.url,
  AZURE_STORAGE_CONNECTION_STRING: azurite!.connectionString,
  AZURE_STORAGE_CONTAINER: container,
  LOG_LEVEL: 'warn',
  CASE_SWEEP_SECONDS: '10',
  CLOCK_OFFSET_MS: String(PROCESSES.offsetMs + shift),
});

/** Stops the running pair and starts two fresh instances `minutes` later on the clock. */
async function pairAt(minutes: number): Promise<[BotInstance, BotInstance]> {
  await Promise.all(running.map((b) => b.stop()));
  shift = minutes * MINUTE;
  running = await Promise.all([BotInstance.start(`A+${minutes}`, env(), connector!), BotInstance.start(`B+${minutes}`, env(), connector!)]);
  return running as [BotInstance, BotInstance];
}

const cases = (): StorageCaseStore =>
  new StorageCaseStore(new BlobStorage({ kind: 'connectionString', connectionString: azurite!.connectionString, container }), journalKeyFrom(TEST_SIGNING_KEY));
const stored = async (id: string): Promise<RecoveryCase> => (await cases().get(id))!.value;

const to = (conversationId: string): ConnectorWrite[] => connector!.writes.filter((w) => w.conversationId === conversationId);
const textsTo = (conversationId: string): string[] => to(conversationId).map((w) => (typeof w.activity.text === 'string' ? w.activity.text : ''));
const count = (conversationId: string, pattern: RegExp): number => textsTo(conversationId).filter((t) => pattern.test(t)).length;

/** Waits until `check` holds, then a little longer, so that a late duplicate from the other instance would be seen. */
async function settle(check: () => boolean, what: string): Promise<void> {
  await waitFor(() => Promise.resolve(check()), what, 60_000);
  await new Promise((r) => setTimeout(r, 2_000));
}

it('two instances send each approver the request, the reminder, the escalation and the expiry notice once; a decision in a chat reaches the journal', async () => {
  const [a, b] = await pairAt(0);
  // Megan opens Nestor's case on A (privileged: two of Patti and Miriam must approve) and requests approval on B.
  const opened = await a.message(`recover ${USERS.nestor.upn}`, USERS.megan);
  const caseId = /RC-[0-9A-Z]{8}/.exec(opened)?.[0];
  expect(caseId).toBeDefined();
  const id = caseId!;
  await waitFor(async () => (await stored(id)).state === 'triaged', 'triage');
  let c = await stored(id);
  expect((await b.click(Verb.confirmScenario, { caseId: id, version: c.version, scenario: 'malicious' }, USERS.megan)).type).toBe(
    'application/vnd.microsoft.card.adaptive',
  );
  c = await stored(id);
  await b.click(Verb.requestApproval, { caseId: id, version: c.version }, USERS.megan);
  c = await stored(id);
  expect(c.state).toBe('awaitingApproval');

  // The request: a card in Patti's and Miriam's chats, opened from the roster, once, though both instances' sweeps
  // (every 10 s) bring the chats up to date too. Nestor is the target; Alex may not decide a privileged target.
  await settle(() => to(chatOf(USERS.patti)).length >= 1 && to(chatOf(USERS.miriam)).length >= 1, 'the request cards');
  await new Promise((r) => setTimeout(r, 11_000));
  for (const p of [USERS.patti, USERS.miriam]) expect(to(chatOf(p)).filter((w) => w.kind === 'post' && w.activity.attachments)).toHaveLength(1);
  expect(to(chatOf(USERS.nestor))).toHaveLength(0);
  expect(to(chatOf(USERS.alex))).toHaveLength(0);
  expect(count(DEFAULT_THREAD, new RegExp(`^The approval request for case ${id} went to Patti Fernandez, Miriam Graham`))).toBe(1);

  // Patti approves on her chat's card, through A: the thread's approval card is edited, the journal has it.
  const card = to(chatOf(USERS.patti)).find((w) => w.activity.attachments)!;
  const data = JSON.stringify(card.activity.attachments);
  const version = Number(/"verb":"case\.approve","style":"positive","data":\{"caseId":"[^"]+","version":"?(\d+)/.exec(data)?.[1]);
  const threadEdits = to(DEFAULT_THREAD).filter((w) => w.kind === 'update').length;
  const answer = await a.click(Verb.approve, { caseId: id, version, comment: 'Confirmed with Nestor in person' }, USERS.patti, chatOf(USERS.patti));
  expect(JSON.stringify(answer.value)).toContain('You approved this request at');
  c = await stored(id);
  expect(c.approval?.decisions.map((d) => d.by.aadObjectId)).toEqual([USERS.patti.id]);
  // The thread's approval card is not edited while its form is open (someone may be typing a comment into it; see
  // ThreadCards.show): it is edited once the request is decided. Patti's decision is in the journal.
  await new Promise((r) => setTimeout(r, 2_000));
  expect(to(DEFAULT_THREAD).filter((w) => w.kind === 'update').length).toBe(threadEdits);
  expect(c.journal.some((j) => j.event === 'Approved' && j.detail === 'Confirmed with Nestor in person')).toBe(true);
  // The same card clicked by Miriam in Patti's chat is refused.
  expect(JSON.stringify((await b.click(Verb.approve, { caseId: id, version }, USERS.miriam, chatOf(USERS.patti))).value)).toContain('CARD.INVALID');

  // 16 minutes on: the reminder, to Miriam (still to decide) only, once, and once in the thread.
  await pairAt(16);
  await settle(() => count(chatOf(USERS.miriam), /^Reminder: case /) >= 1, 'the reminder');
  expect(count(chatOf(USERS.miriam), /^Reminder: case /)).toBe(1);
  expect(count(chatOf(USERS.patti), /^Reminder: case /)).toBe(0);
  expect(count(DEFAULT_THREAD, /^Reminder: case /)).toBe(1);

  // 31 minutes on: the escalation to the privileged approvers (the demo's escalation group): Miriam, once.
  await pairAt(31);
  await settle(() => count(DEFAULT_THREAD, /escalated to the escalation group/) >= 1, 'the escalation');
  expect(count(DEFAULT_THREAD, /escalated to the escalation group/)).toBe(1);
  expect(count(chatOf(USERS.miriam), /^Escalated: case /)).toBe(1);
  expect((await stored(id)).journal.filter((j) => j.event === 'Approval request escalated')).toHaveLength(1);

  // 61 minutes on: expired. Miriam's card is edited once to say so, without buttons, and she is told once.
  await pairAt(61);
  await settle(() => count(chatOf(USERS.miriam), /expired without the required approvals/) >= 1, 'the expiry notice');
  expect((await stored(id)).state).toBe('expired');
  expect(count(chatOf(USERS.miriam), /expired without the required approvals/)).toBe(1);
  const edits = to(chatOf(USERS.miriam)).filter((w) => w.kind === 'update');
  expect(edits).toHaveLength(1);
  expect(JSON.stringify(edits[0]!.activity)).not.toContain('"verb":"case.approve"');
  expect(count(DEFAULT_THREAD, new RegExp(`^Case ${id} expired without the required approvals`))).toBe(1);
  // Patti's card was finished when she decided (once), not again at the expiry.
  expect(to(chatOf(USERS.patti)).filter((w) => w.kind === 'update')).toHaveLength(1);
});
