import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpApp, type ActivityHandler } from '../../src/http/server';
import { RecordingLogger } from '../fakes/recording-logger';

/**
 * The HTTP edge of POST /api/verifiedid/callback (issue 17): served only when Verified ID is configured; the `api-key`
 * header and the body reach the use case as the Request Service sent them (its Content-Type is not documented, so any is
 * read as JSON); a body larger than a callback with a photo can be is refused before anything reads it; the answers
 * carry no detail. What the use case decides is tested in test/app/verify-identity.test.ts.
 */

const noBot: ActivityHandler = { handle: () => Promise.reject(new Error('no activity is expected here')) };

async function serve(callback?: Parameters<typeof createHttpApp>[0]['verifiedIdCallback']): Promise<{ base: string; close: () => Promise<void> }> {
  const app = createHttpApp({
    adapter: noBot,
    run: () => Promise.resolve(),
    mode: 'production',
    logger: new RecordingLogger(),
    ...(callback ? { verifiedIdCallback: callback } : {}),
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('POST /api/verifiedid/callback', () => {
  const received: { apiKey: string | undefined; body: unknown }[] = [];
  let served: { base: string; close: () => Promise<void> };
  beforeAll(async () => {
    served = await serve((apiKey, body) => {
      received.push({ apiKey, body });
      return Promise.resolve(apiKey === 'right-key' ? { status: 200, message: 'Recorded.' } : { status: 401, message: 'api-key wrong or missing.' });
    });
  });
  afterAll(() => served.close());
  beforeEach(() => void (received.length = 0));

  const post = (body: string, headers: Record<string, string>): Promise<Response> =>
    fetch(`${served.base}/api/verifiedid/callback`, { method: 'POST', body, headers });

  it('hands the api-key header and the JSON body to the use case and answers with its status', async () => {
    const body = { requestId: 'r', requestStatus: 'request_retrieved', state: 's' };
    const ok = await post(JSON.stringify(body), { 'content-type': 'application/json', 'api-key': 'right-key' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ message: 'Recorded.' });
    const wrong = await post(JSON.stringify(body), { 'content-type': 'application/json', 'api-key': 'wrong' });
    expect(wrong.status).toBe(401);
    expect(received).toEqual([
      { apiKey: 'right-key', body },
      { apiKey: 'wrong', body },
    ]);
  });

  it('reads the body as JSON whatever its content type says', async () => {
    const res = await post(JSON.stringify({ requestId: 'r' }), { 'content-type': 'text/plain', 'api-key': 'right-key' });
    expect(res.status).toBe(200);
    expect(received[0]?.body).toEqual({ requestId: 'r' });
  });

  it('refuses a body over 4 MB with 413, and one that is not JSON with 400, before the use case sees either', async () => {
    const huge = await post(JSON.stringify({ claims: { photo: 'x'.repeat(4 * 1024 * 1024 + 1) } }), {
      'content-type': 'application/json',
      'api-key': 'right-key',
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ error: 'The body is too large.' });
    const notJson = await post('{"requestId":', { 'content-type': 'application/json', 'api-key': 'right-key' });
    expect(notJson.status).toBe(400);
    expect(JSON.stringify(await notJson.json())).not.toMatch(/at |node_modules|SyntaxError/);
    expect(received).toEqual([]);
  });

  it('takes a callback carrying a 2 MB profile photo (the largest the VerifiedEmployee card holds)', async () => {
    const res = await post(JSON.stringify({ requestId: 'r', claims: { photo: 'p'.repeat(2.7 * 1024 * 1024) } }), {
      'content-type': 'application/json',
      'api-key': 'right-key',
    });
    expect(res.status).toBe(200);
  });

  it('is not served when Verified ID is not configured', async () => {
    const plain = await serve();
    try {
      const res = await fetch(`${plain.base}/api/verifiedid/callback`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
