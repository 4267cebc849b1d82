import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from '../ports/logger';

/** What the HTTP layer needs from the bot: authenticate one activity and run it (src/teams/bot-adapter.ts). */
export interface ActivityHandler {
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined>;
}

export interface HttpAppOptions {
  readonly adapter: ActivityHandler;
  readonly run: (context: TurnContext) => Promise<unknown>;
  readonly mode: string;
  readonly logger: Logger;
  /** POST /api/verifiedid/callback, when Verified ID is configured: the callback's `api-key` header and its body. */
  readonly verifiedIdCallback?: (apiKey: string | undefined, body: unknown) => Promise<{ status: number; message: string }>;
  /** One of several workers (WEB_CONCURRENCY): its id, answered as `X-Bot-Worker` so that a test or an operator can see who answered. */
  readonly worker?: number;
}

/**
 * A Request Service callback can carry a photo (up to 2 MB as a profile photo, base64 in the claim; shared/spec/
 * verified-id.md §3, §4); anything much larger is not one. Its Content-Type is not documented (spec §2.3), so any is read
 * as JSON, as the samples do.
 */
const CALLBACK_BODY_LIMIT = '4mb';

/** A body that can be an activity: an object with a string `type`; dates as botbuilder's own validator turns them. */
function activityOf(body: unknown): Activity | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const activity = body as Record<string, unknown>;
  if (typeof activity.type !== 'string' || activity.type.length === 0) return undefined;
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}

/**
 * Express 5: POST /api/messages into the bot, GET /healthz for probes, and POST /api/verifiedid/callback when Verified
 * ID is configured. Nothing else is served. Every failure is answered
 * with a short JSON body and no stack or path, in every mode: a body that is not an activity 400, too large 413, a
 * request that cannot be authenticated (no token, a forged or expired one, a key the channel did not publish) 401, a
 * fault of the bot 500 with a reference that is in the log.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('env', options.mode === 'production' ? 'production' : 'development');
  const worker = options.worker;
  if (worker !== undefined) {
    app.use((_req, res, next) => {
      res.setHeader('X-Bot-Worker', String(worker));
      next();
    });
  }
  const callback = options.verifiedIdCallback;
  if (callback) {
    app.post('/api/verifiedid/callback', express.json({ limit: CALLBACK_BODY_LIMIT, type: () => true }), async (req, res) => {
      const answer = await callback(req.get('api-key'), req.body);
      res.status(answer.status).json({ message: answer.message });
    });
  }
  app.use(express.json({ limit: '1mb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', mode: options.mode });
  });
  app.post('/api/messages', async (req, res) => {
    const activity = activityOf(req.body);
    if (!activity) {
      res.status(400).json({ error: 'The body is not a Bot Framework activity.' });
      return;
    }
    let ran = false;
    try {
      const answer = await options.adapter.handle(req.get('authorization') ?? '', activity, async (context) => {
        ran = true;
        await options.run(context);
      });
      res.status(answer?.status ?? 200);
      if (answer?.body !== undefined) res.json(answer.body);
      else res.end();
    } catch (e) {
      // Before the turn ran, the adapter was authenticating: whatever it threw (AuthenticationError, the JWT library's
      // errors, a key it could not find), the request is not authenticated. Turn faults are caught by onTurnError.
      const error = e instanceof Error ? e : new Error(String(e));
      if (!ran) {
        logger.warn('refused a request that could not be authenticated', { activityId: activity.id, reason: `${error.name}: ${error.message}`.slice(0, 300) });
        res.status(401).json({ error: 'Unauthorized.' });
        return;
      }
      const reference = randomUUID();
      logger.error('a request failed after its turn started', { reference, activityId: activity.id, error: `${error.name}: ${error.message}`.slice(0, 300) });
      res.status(500).json({ error: 'The bot could not process this request.', reference });
    }
  });
  // Body parser failures (not JSON, too large) and anything else Express catches: the status, a short body, no stack.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown }).status;
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
    if (code === 500)
      logger.error('an HTTP request failed', { error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error) });
    res.status(code).json({ error: code === 413 ? 'The body is too large.' : code === 500 ? 'The bot could not process this request.' : 'Bad request.' });
  });
  return app;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Listens and returns a close() that stops accepting, lets in-flight requests finish (up to 10 s), then ends. */
export function listen(app: Express, host: string, port: number, logger: Logger): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const url = `http://${host}:${actualPort}`;
      logger.info('listening', { url });
      resolve({
        url,
        close: () =>
          new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), 10_000);
            force.unref();
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
