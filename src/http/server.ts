import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { TurnContext } from 'botbuilder';
import type { Logger } from '../ports/logger';

/** What the HTTP layer needs from the bot: something that processes a Bot Framework request. */
export interface MessageProcessor {
  process(req: express.Request, res: express.Response, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export interface HttpAppOptions {
  readonly adapter: MessageProcessor;
  readonly run: (context: TurnContext) => Promise<unknown>;
  readonly mode: string;
  readonly logger: Logger;
}

/** Express 5: POST /api/messages into the bot, GET /healthz for probes. Nothing else is served. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', mode: options.mode });
  });
  app.post('/api/messages', async (req, res) => {
    await options.adapter.process(req, res, async (context) => {
      await options.run(context);
    });
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
