/**
 * The floor the bench compares the bot with: the same stack and nothing of the bot. Express with its JSON body parser,
 * the teams-ai TeamsAdapter with the same (demo) authentication settings, a teams-ai Application with the options the
 * bot gives it, and one Action.Execute handler answering the bench's click with a small card. Whatever the bot costs
 * above this is the bot's own work. Compiled with the bot (`tsconfig.bench.json`) and run by bench/run.ts.
 *
 * PORT (0: any free port) and HOST; prints `listening on <url>` once it accepts requests; GET /healthz as the bot.
 */
import express from 'express';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';

const VERB = process.env.FLOOR_VERB ?? 'case.refreshApproval';

const adapter = new TeamsAdapter({});
const app = new Application({ adapter, removeRecipientMention: true, startTypingTimer: false });
app.adaptiveCards.actionExecute(VERB, (_context, _state, data: { caseId?: string }) =>
  Promise.resolve({
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: `Case ${data.caseId ?? ''}`, weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: 'Approval requested. Waiting for approvers.', wrap: true },
    ],
    actions: [{ type: 'Action.Execute', title: 'Approve', verb: 'case.approve', data: { caseId: data.caseId } }],
  }),
);

const server = express();
server.disable('x-powered-by');
server.use(express.json({ limit: '1mb' }));
server.get('/healthz', (_req, res) => {
  res.json({ status: 'ok', mode: 'floor' });
});
// As the teams-ai samples serve it: CloudAdapter.process reads the parsed body, authenticates, runs, and answers.
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, async (context) => {
    await app.run(context);
  });
});
const host = process.env.HOST ?? '127.0.0.1';
const listener = server.listen(Number(process.env.PORT ?? 0), host, () => {
  const address = listener.address();
  console.log(`listening on http://${host}:${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => listener.close(() => process.exit(0)));
