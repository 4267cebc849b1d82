/**
 * Forms keep what a person typed (issue 18). A client redraws a card message when the bot edits it, and the text in its
 * inputs is gone. The bot cannot know that someone is typing, so it must never replace an open form: this drives the
 * Agents Playground in a browser, types into the approval card's comment, makes the case change underneath (another
 * approver decides, over HTTP, as Teams would deliver that person's click), and checks the typed text is still there.
 *
 * Before this was fixed the approval card was edited at once with the other approver's decision, and the comment box
 * came back empty; now the card waits for the request to be decided, and the decision is a line of its own in the
 * thread. The demo runs without token checks (demo mode listens on loopback only), so the test posts the approver's
 * `adaptiveCard/action` invoke straight to the bot, with the card's own data as the Playground received it.
 */
import type { Page } from 'playwright-core';
import { USERS, TENANT_ID } from '../helpers/demo-ids';
import { Verb } from '../../src/views/verbs';
import {
  DEMO_BOT,
  latestAction,
  launchChromium,
  postRecover,
  recordConversation,
  screenshot,
  settled,
  startDemo,
  type Browser,
  type RunningDemo,
} from './playground-session';

const BOT = DEMO_BOT;

jest.setTimeout(240_000);

describe('browser: what a person types into a card stays while the case changes underneath', () => {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    demo = await startDemo();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    // A clean Ctrl-C stop is test/e2e/start-demo.test.ts's check; here the demo only has to go away.
    await demo?.stop();
  }, 30_000);

  /** Megan posts `@Entra recover <upn>` in the channel and moves the case to its approval request. */
  async function requestApprovalFor(page: Page, upn: string): Promise<string> {
    const { caseId } = await postRecover(page, upn);
    await page.getByRole('button', { name: 'Confirm scenario' }).last().click();
    await page.getByRole('button', { name: 'Request approval' }).last().click();
    await page.getByText(`Approval for case ${caseId}`).waitFor();
    return caseId;
  }

  it('Megan types a comment on the approval card of a privileged case; Nestor approves (1 of 2); her text is still in the box', async () => {
    const page = browser!.page;
    const frames = recordConversation(page);
    await page.goto(demo!.playgroundUrl);
    // Patti holds a privileged role: two privileged approvers must approve, so one decision leaves the request open.
    const caseId = await requestApprovalFor(page, USERS.patti.upn);
    await settled(frames);
    const typed = 'Half a thought, typed while someone else decides';
    const comment = page.getByRole('textbox', { name: 'Comment (optional)' }).last();
    await comment.fill(typed);

    const approve = latestAction(frames, Verb.approve);
    expect(approve?.data.caseId).toBe(caseId);
    const answer = await fetch(`${demo!.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: 'nestor-approves-1',
        channelId: 'msteams',
        serviceUrl: `${demo!.playgroundUrl}/_connector`,
        recipient: BOT,
        conversation: { id: approve!.conversationId, isGroup: true, conversationType: 'channel', tenantId: TENANT_ID },
        channelData: { tenant: { id: TENANT_ID } },
        from: { id: `29:${USERS.nestor.id}`, name: USERS.nestor.name, aadObjectId: USERS.nestor.id },
        replyToId: approve!.messageId,
        value: { action: { type: 'Action.Execute', verb: Verb.approve, data: { ...approve!.data, comment: 'Checked with Patti' } }, trigger: 'manual' },
      }),
    });
    expect(answer.status).toBe(200);
    // Nestor's decision is stored: his answer is the approval card with it, and no refusal.
    const answered = JSON.stringify(await answer.json());
    expect(answered).not.toMatch(/"id":"refusal"/);
    expect(answered).toContain('Comment: Checked with Patti');
    // Whatever the bot then did to the thread has arrived (the Playground forwards edits and posts as frames).
    await settled(frames);
    process.stdout.write(`screenshot: ${await screenshot(page, '30-typed-comment-kept')}\n`);
    // What Megan typed is still there.
    expect(await page.getByRole('textbox', { name: 'Comment (optional)' }).last().inputValue()).toBe(typed);
  });
});
