import { z } from 'zod';
import { adminPage, backToAdmin } from './admin-page';
import { appView, setGrantedPermissions } from './auth/app-grants-control';
import { accountRecovery, registerSecurityInfo, restoreUser, signIn, type ControlResult } from './control-human-steps';
import { GraphHttpError, gatewayErrors } from './errors';
import type { FaultSpec, Faults } from './faults';
import type { SimResponse } from './http-types';
import type { JsonObject } from './json';
import type { TenantState } from './tenant-state';
import type { SimulatedRequestService } from './verified-id/request-service';
import { verifiedIdControl } from './verified-id/wallet-controls';

export interface ControlDeps {
  readonly tenant: TenantState;
  /** The simulated Verified ID Request Service and its wallet (/_simulator/verifiedid/…). */
  readonly verifiedId: SimulatedRequestService;
  readonly faults: Faults;
  readonly now: () => Date;
  /** Re-seeds the tenant in place and forgets throttling windows. */
  readonly reset: () => void;
}

const match = {
  method: z.string().optional(),
  path: z.string(),
  flags: z.string().optional(),
  times: z.number().int().min(1).optional(),
  rate: z.number().gt(0).max(1).optional(),
};
const FaultBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), ms: z.number().min(0), ...match }).strict(),
  z.object({ kind: z.literal('throttle'), retryAfterSeconds: z.number().min(0), ...match }).strict(),
  z
    .object({
      kind: z.literal('error'),
      status: z.number().int().min(400).max(599),
      code: z.string().optional(),
      message: z.string().optional(),
      retryAfterSeconds: z.number().min(0).optional(),
      retryAfter: z.string().min(1).optional(),
      ...match,
    })
    .strict(),
  z.object({ kind: z.literal('reset'), ...match }).strict(),
]);
const SeedBodySchema = z.object({ seed: z.number().int() }).strict();

function toFaultSpec(body: unknown): FaultSpec {
  const parsed = FaultBodySchema.safeParse(body);
  if (!parsed.success)
    throw gatewayErrors.badRequest(`Invalid fault: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
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

/** A request to /_simulator/…: JSON from tests and the demo, or an HTML form post from the admin page. */
export interface ControlRequest {
  readonly method: string;
  /** Decoded path segments after `_simulator`. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or a form post's fields. */
  readonly body: unknown;
  /** An HTML form post: answered with 303 back to the admin page. */
  readonly form: boolean;
}

function route(deps: ControlDeps, req: ControlRequest): ControlResult {
  const { method, segments, body } = req;
  const [first, second, third, fourth] = segments;
  const json = (response: SimResponse): ControlResult => ({ response, notice: 'Done.' });
  if (first === 'health' && method === 'GET') {
    return json({
      status: 200,
      body: { status: 'ok', tenant: deps.tenant.tenant.displayName, users: deps.tenant.users.size, deletedUsers: deps.tenant.deletedUsers.size },
    });
  }
  if (first === 'admin' && segments.length === 1 && method === 'GET') return json(adminPage(deps.tenant, deps.now(), req.query, deps.verifiedId));
  if (first === 'verifiedid') return verifiedIdControl(deps.verifiedId, deps.tenant, deps.now(), { method, segments: segments.slice(1), body, form: req.form });
  if (first === 'reset' && method === 'POST') {
    deps.reset();
    return { response: { status: 200, body: { reset: true } }, notice: 'The tenant was re-seeded.' };
  }
  if (first === 'faults' && second === undefined) {
    if (method === 'GET') return json({ status: 200, body: faultList(deps.faults) });
    if (method === 'DELETE') {
      deps.faults.clear();
      return json({ status: 204 });
    }
    if (method === 'POST') return json({ status: 201, body: { id: deps.faults.add(toFaultSpec(body)) } });
  }
  if (first === 'faults' && second === 'seed' && segments.length === 2 && method === 'POST') {
    const parsed = SeedBodySchema.safeParse(body);
    if (!parsed.success) throw gatewayErrors.badRequest('Invalid seed: send {"seed": <integer>}.');
    deps.faults.seed(parsed.data.seed);
    return json({ status: 200, body: { seed: parsed.data.seed } });
  }
  if (first === 'app' && segments.length === 1 && method === 'GET') return json(appView(deps.tenant));
  // What sendMail accepted (there is no Exchange behind the simulator): for tests and the admin page.
  if (first === 'outbox' && segments.length === 1 && method === 'GET')
    return json({ status: 200, body: { value: deps.tenant.outbox.map((m) => ({ ...m, to: [...m.to] })) } });
  if (first === 'app' && second === 'permissions' && segments.length === 2 && (method === 'PUT' || (method === 'POST' && req.form))) {
    return {
      response: setGrantedPermissions(deps.tenant, body, req.form),
      notice: 'The app\u2019s permissions were changed; tokens issued before keep their roles until they expire.',
    };
  }
  if (first === 'users' && second !== undefined && segments.length === 3 && method === 'POST') {
    if (third === 'sign-in') return signIn(deps.tenant, second, body, deps.now());
    if (third === 'register-method') return registerSecurityInfo(deps.tenant, second, body, deps.now());
    if (third === 'account-recovery') return accountRecovery(deps.tenant, second, body, deps.now());
  }
  if (first === 'backup' && second === 'users' && third !== undefined && fourth === 'restore' && segments.length === 4 && method === 'POST') {
    return restoreUser(deps.tenant, third, body, deps.now());
  }
  throw new GraphHttpError(404, 'NotFound', `The simulator has no control endpoint ${method} /_simulator/${segments.join('/')}.`);
}

/** A browser says where a form came from; only the admin page itself (same host) may post one. */
function fromThisHost(headers: Readonly<Record<string, string>>): boolean {
  const origin = headers['origin'];
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === headers['host'];
  } catch {
    return false;
  }
}

/**
 * The simulator's own endpoints under /_simulator (no bearer token): health, reset, fault hooks, the demo app's
 * granted permissions (GET /_simulator/app, PUT /_simulator/app/permissions), and the demo's human
 * steps (a user signs in, registers a method or runs Account Recovery, a Backup Administrator restores a user), also as an admin page whose
 * forms post here and are sent back to the page (303).
 */
export function handleControl(deps: ControlDeps, req: ControlRequest): SimResponse {
  if (!req.form) return route(deps, req).response;
  if (!fromThisHost(req.headers)) throw new GraphHttpError(403, 'Forbidden', "Form posts are accepted only from the simulator's own admin page.");
  try {
    return backToAdmin({ notice: route(deps, req).notice });
  } catch (e) {
    if (e instanceof GraphHttpError) return backToAdmin({ error: e.message });
    throw e;
  }
}
