import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VERIFIED_ID_SCOPE } from '../../src/entra/verified-id-client';
import type { VerifiedIdSettings } from '../../src/verified-id-settings';
import { DEMO_VERIFIED_ID_AUTHORITY } from '../../src/config';
import type { RunningSimulator } from '../../src/simulator';
import { appToken } from './simulator-token';

/** One callback as the receiver got it. */
export interface ReceivedCallback {
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A tiny HTTP server standing in for the bot's callback endpoint: it records every callback and answers `status`. */
export interface CallbackReceiver {
  readonly url: string;
  readonly received: ReceivedCallback[];
  status: number;
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const receiver = { url: '', received, status: 200, close: (): Promise<void> => Promise.resolve() };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      res.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/verifiedid/callback`;
  receiver.close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((e) => (e ? reject(e) : resolve()));
      server.closeAllConnections();
    });
  return receiver;
}

/** The demo's Verified ID settings against a simulator a test started, calling back `callbackUrl`. */
export function simulatorVerifiedIdSettings(sim: RunningSimulator, callbackUrl: string, overrides: Partial<VerifiedIdSettings> = {}): VerifiedIdSettings {
  return {
    authority: DEMO_VERIFIED_ID_AUTHORITY,
    acceptedIssuers: [DEMO_VERIFIED_ID_AUTHORITY],
    linkedDomains: ['contoso.com'],
    faceMatchThreshold: 85,
    credentialType: 'VerifiedEmployee',
    clientName: 'IT Helpdesk',
    endpoint: `${sim.url}/verifiedid/v1.0/`,
    callbackUrl,
    maxAttempts: 3,
    ...overrides,
  };
}

/** A token for the Request Service, as the demo app. */
export function requestServiceToken(sim: RunningSimulator): Promise<string> {
  return appToken(sim.url, VERIFIED_ID_SCOPE);
}

/** POST createPresentationRequest with a raw body and token: what the Request Service answers. */
/** The body is parsed JSON, typed loosely on purpose (as test/simulator/graph-client.ts does). */
export async function postPresentationRequest(sim: RunningSimulator, body: unknown, token: string | undefined) {
  const res = await fetch(`${sim.url}/verifiedid/v1.0/verifiableCredentials/createPresentationRequest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A wallet control under /_simulator/verifiedid/ (JSON). */
export async function walletControl(sim: RunningSimulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}/_simulator/verifiedid/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
