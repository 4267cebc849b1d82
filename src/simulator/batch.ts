import { z } from 'zod';
import { GraphHttpError, gatewayErrors } from './errors';
import type { SimResponse } from './http-types';
import type { JsonObject } from './json';

/** JSON batching accepts at most 20 requests (spec §8). */
export const MAX_BATCH_REQUESTS = 20;

const BatchItemSchema = z.object({
  id: z.string().min(1),
  method: z.string().min(1),
  url: z.string().min(1),
  headers: z.record(z.string()).optional(),
  body: z.unknown().optional(),
  dependsOn: z.array(z.string()).optional(),
});
export type BatchItem = z.infer<typeof BatchItemSchema>;

const BatchSchema = z.object({ requests: z.array(BatchItemSchema) });

export interface BatchDeps {
  /** Runs one inner request through the same pipeline as an outer one (faults, throttling, routing, errors). */
  readonly execute: (item: BatchItem) => Promise<SimResponse>;
  /** Turns an error about one inner request into its Graph error response. */
  readonly fail: (error: GraphHttpError) => SimResponse;
}

function validate(body: unknown): BatchItem[] {
  const parsed = BatchSchema.safeParse(body);
  if (!parsed.success) throw gatewayErrors.badRequest('Invalid batch payload format.');
  const items = parsed.data.requests;
  if (items.length > MAX_BATCH_REQUESTS)
    throw gatewayErrors.badRequest(`Invalid batch payload: the number of requests (${items.length}) exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw gatewayErrors.badRequest(`Invalid batch payload: the request id '${item.id}' is used more than once.`);
    ids.add(item.id);
  }
  for (const item of items) {
    for (const dep of item.dependsOn ?? []) {
      if (!ids.has(dep)) throw gatewayErrors.badRequest(`Invalid batch payload: request '${item.id}' depends on unknown request '${dep}'.`);
    }
  }
  return items;
}

function hasContentType(item: BatchItem): boolean {
  return Object.keys(item.headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
}

function responseEntry(id: string, res: SimResponse): JsonObject {
  const headers: JsonObject = { ...(res.headers ?? {}) };
  if (res.body !== undefined) headers['Content-Type'] = 'application/json';
  const entry: JsonObject = { id, status: res.status, headers };
  if (res.body !== undefined) entry.body = res.body;
  return entry;
}

/**
 * POST /$batch: validates the envelope (≤ 20 requests, unique ids, known dependencies: otherwise the whole batch is
 * 400), then runs the requests in dependency order. A request whose dependency failed gets 424; a request with a body
 * and no Content-Type gets 400. The outer status is always 200.
 */
export async function runBatch(body: unknown, deps: BatchDeps): Promise<SimResponse> {
  const items = validate(body);
  const done = new Map<string, number>();
  const responses: JsonObject[] = [];
  let pending = [...items];
  while (pending.length > 0) {
    const ready = pending.find((item) => (item.dependsOn ?? []).every((d) => done.has(d)));
    if (!ready) throw gatewayErrors.badRequest('Invalid batch payload: the dependsOn references form a cycle.');
    pending = pending.filter((item) => item !== ready);
    let res: SimResponse;
    if ((ready.dependsOn ?? []).some((d) => (done.get(d) ?? 0) >= 400)) {
      res = deps.fail(new GraphHttpError(424, 'FailedDependency', `The request '${ready.id}' was not run because a request it depends on failed.`));
    } else if (ready.body !== undefined && !hasContentType(ready)) {
      res = deps.fail(gatewayErrors.badRequest(`Write request id : ${ready.id} does not contain Content-Type header or body.`));
    } else {
      res = await deps.execute(ready);
    }
    done.set(ready.id, res.status);
    responses.push(responseEntry(ready.id, res));
  }
  return { status: 200, body: { responses } };
}
