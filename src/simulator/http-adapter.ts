import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimResponse } from './http-types';
import type { IncomingRequest } from './request-pipeline';

/** Graph's JSON content type. */
const JSON_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new RangeError('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
    else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(', ');
  }
  return headers;
}

/** Turns a node:http request into the pipeline's request. */
export async function toIncoming(req: IncomingMessage): Promise<IncomingRequest> {
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const text = await readBody(req);
  let body: unknown;
  let bodyInvalid = false;
  if (text.trim().length > 0) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      bodyInvalid = true;
    }
  }
  const headers = headersOf(req);
  return { method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query: url.searchParams, headers, body, bodyInvalid, form: formOf(headers, text) };
}

/**
 * An HTML form's fields (application/x-www-form-urlencoded), which only the control endpoints read; empty fields are
 * left out, as if the form had not sent them. Graph requests never look at it: to them the body is invalid JSON.
 */
function formOf(headers: Readonly<Record<string, string>>, text: string): Record<string, string> | undefined {
  if (!/^application\/x-www-form-urlencoded\b/i.test(headers['content-type'] ?? '')) return undefined;
  return Object.fromEntries([...new URLSearchParams(text)].filter(([, value]) => value !== ''));
}

/** Writes the pipeline's answer: JSON with Graph's content type, a text body as it is, or nothing for 204. */
export function writeResponse(res: ServerResponse, answer: SimResponse): void {
  const headers: Record<string, string> = { ...(answer.headers ?? {}) };
  if (answer.text !== undefined) {
    headers['Content-Length'] = String(Buffer.byteLength(answer.text));
    res.writeHead(answer.status, headers);
    res.end(answer.text);
    return;
  }
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(answer.body);
  headers['Content-Type'] = JSON_CONTENT_TYPE;
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(answer.status, headers);
  res.end(payload);
}
