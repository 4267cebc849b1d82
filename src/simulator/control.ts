import { z } from 'zod';
import { GraphHttpError, directoryErrors, gatewayErrors } from './errors';
import type { FaultSpec, Faults } from './faults';
import type { SimResponse } from './http-types';
import { isJsonObject, type JsonObject } from './json';
import { SimulatedSignInSchema, simulateSignIn } from './simulate-sign-in';
import { findUser, type TenantState } from './tenant-state';

export interface ControlDeps {
  readonly tenant: TenantState;
  readonly faults: Faults;
  readonly now: () => Date;
  /** Re-seeds the tenant in place and forgets throttling windows. */
  readonly reset: () => void;
}

const FaultBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), ms: z.number().min(0), method: z.string().optional(), path: z.string(), flags: z.string().optional(), times: z.number().int().min(1).optional() }).strict(),
  z
    .object({ kind: z.literal('throttle'), retryAfterSeconds: z.number().min(0), method: z.string().optional(), path: z.string(), flags: z.string().optional(), times: z.number().int().min(1).optional() })
    .strict(),
  z
    .object({
      kind: z.literal('error'),
      status: z.number().int().min(400).max(599),
      code: z.string().optional(),
      message: z.string().optional(),
      retryAfterSeconds: z.number().min(0).optional(),
      method: z.string().optional(),
      path: z.string(),
      flags: z.string().optional(),
      times: z.number().int().min(1).optional(),
    })
    .strict(),
]);

function toFaultSpec(body: unknown): FaultSpec {
  const parsed = FaultBodySchema.safeParse(body);
  if (!parsed.success) throw gatewayErrors.badRequest(`Invalid fault: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const { path: source, flags, ...rest } = parsed.data;
  let path: RegExp;
  try {
    path = new RegExp(source, flags);
  } catch {
    throw gatewayErrors.badRequest(`Invalid fault: path is not a valid regular expression: ${source}`);
  }
  return { ...rest, path };
}

function faultList(faults: Faults): JsonObject {
  return { value: faults.list().map((f) => ({ ...f, path: f.path.source, flags: f.path.flags, remaining: f.remaining ?? null })) };
}

/**
 * The simulator's own endpoints under /_simulator (no bearer token): health, reset, fault hooks, and a simulated
 * user sign-in, which the demo and tests use to play "the user signed in".
 */
export function handleControl(deps: ControlDeps, method: string, segments: readonly string[], body: unknown): SimResponse {
  const [first, second, third] = segments;
  if (first === 'health' && method === 'GET') {
    return { status: 200, body: { status: 'ok', tenant: deps.tenant.tenant.displayName, users: deps.tenant.users.size, deletedUsers: deps.tenant.deletedUsers.size } };
  }
  if (first === 'reset' && method === 'POST') {
    deps.reset();
    return { status: 200, body: { reset: true } };
  }
  if (first === 'faults' && second === undefined) {
    if (method === 'GET') return { status: 200, body: faultList(deps.faults) };
    if (method === 'DELETE') {
      deps.faults.clear();
      return { status: 204 };
    }
    if (method === 'POST') return { status: 201, body: { id: deps.faults.add(toFaultSpec(body)) } };
  }
  if (first === 'users' && second !== undefined && third === 'sign-in' && segments.length === 3 && method === 'POST') {
    const user = findUser(deps.tenant, second);
    if (!user) throw directoryErrors.notFound(second);
    const parsed = SimulatedSignInSchema.safeParse(isJsonObject(body) ? body : {});
    if (!parsed.success) throw gatewayErrors.badRequest(`Invalid sign-in: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
    const record = simulateSignIn(deps.tenant, user, parsed.data, deps.now());
    return { status: 201, body: JSON.parse(JSON.stringify({ ...record, ...record.beta, beta: undefined })) as JsonObject };
  }
  throw new GraphHttpError(404, 'NotFound', `The simulator has no control endpoint ${method} /_simulator/${segments.join('/')}.`);
}
