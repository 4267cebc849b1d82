import type { Client } from '@microsoft/microsoft-graph-client';
import type * as Graph from '@microsoft/microsoft-graph-types';
import type { GraphRequest } from '../domain/plan';
import type { AuthMethod } from '../domain/target';
import { DirectoryError, type RegistrationDetails } from '../ports/directory';
import { runBatches, MAX_BATCH_REQUESTS, type BatchAnswer, type BatchOptions } from './graph-batch';
import { deniedInBatch, failureByStatus, type GraphOperation } from './graph-errors';
import { graphPath, graphRequest } from './graph-path';
import { entryFor } from './graph-request-match';
import type { GraphRequestSpec } from './graph-request-types';
import { REQUESTS } from './graph-requests';
import { toAuthMethod, type AnyMethod } from './method-mapping';
import { readAll } from './paging';
import { toRegistrationDetails } from './report-mapping';

/**
 * The DirectoryError for a failed request inside a `$batch`. A 401/403 goes through the same mapping as a single
 * request, as a GraphError noted with its registry entry: the advice names that request's permissions.
 */
function errorOf(answer: BatchAnswer, operation: GraphOperation, spec: GraphRequestSpec | undefined, label: string = operation): DirectoryError {
  const code = (answer.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (answer.status === 401 || answer.status === 403) return deniedInBatch(answer, operation, spec);
  const { failure, code: errorCode } = failureByStatus(answer.status);
  return new DirectoryError(
    failure,
    `Microsoft Graph refused to ${label} (HTTP ${answer.status}${typeof code === 'string' ? ` ${code.slice(0, 60)}` : ''}).`,
    answer.requestId,
    undefined,
    errorCode,
  );
}

/**
 * Method types v1.0 `/authentication/methods` never returns, read through their beta collections. v1.0 metadata has
 * no hardwareOathAuthenticationMethod (msgraph-metadata schemas/v1.0-Prod.csdl; beta: type-mappings/beta-entity-types.json
 * lists `hardwareOathMethods` under authentication), so on a real tenant a token assigned to the user is invisible to a
 * v1.0 listing, survives "remove every method", and keeps the default method from being deleted ("other methods
 * configured"). Deleting it is `DELETE /beta/users/{id}/authentication/hardwareOathMethods/{id}` (plan.deleteRequest).
 * QR code PIN has a v1.0 type (so v1.0 lists it) and only its navigation is beta; it needs no extra read.
 */
const BETA_ONLY_COLLECTIONS = [{ request: REQUESTS.hardwareOathMethodsList, odataType: '#microsoft.graph.hardwareOathAuthenticationMethod' }] as const;

/** The user's beta-only methods (one beta GET per collection, paged). A typed collection may leave out @odata.type. */
export async function readBetaOnlyMethods(client: Client, baseUrl: string, userId: string): Promise<AuthMethod[]> {
  const found: AuthMethod[] = [];
  for (const c of BETA_ONLY_COLLECTIONS) {
    const items = await readAll<AnyMethod>(client, () => graphRequest(client, c.request, { userId }).get(), baseUrl);
    found.push(...items.map((m) => toAuthMethod({ '@odata.type': c.odataType, ...m })));
  }
  return found;
}

/** v1.0 methods plus the beta-only ones, each id once. */
export function withBetaOnly(v1: readonly AuthMethod[], beta: readonly AuthMethod[]): AuthMethod[] {
  const ids = new Set(v1.map((m) => m.id));
  return [...v1, ...beta.filter((m) => !ids.has(m.id))];
}

/**
 * The user's methods and the registration report in one `$batch` round trip (both are reads of the reports bucket,
 * counted one by one by Graph). A method list longer than one page is read on through its next link.
 */
export async function readMethodsAndPreference(
  client: Client,
  baseUrl: string,
  userId: string,
  options: BatchOptions = {},
): Promise<{ methods: readonly AuthMethod[]; details: RegistrationDetails | undefined }> {
  // A $batch goes to one version (/v1.0/$batch or /beta/$batch) and its inner urls are relative to it, so the beta-only
  // collections are read beside it, at the same time.
  const [run, beta] = await Promise.all([
    runBatches(
      client,
      [
        { requests: [{ id: 'methods', method: 'GET', url: graphPath(REQUESTS.methodsList, { userId }) }] },
        { requests: [{ id: 'details', method: 'GET', url: graphPath(REQUESTS.registrationDetailsGet, { userId }) }] },
      ],
      options,
    ),
    readBetaOnlyMethods(client, baseUrl, userId).then(
      (methods) => ({ methods }),
      (error: unknown) => ({ error }),
    ),
  ]);
  const methods = run.answers.get('methods');
  const details = run.answers.get('details');
  if (!methods || methods.status !== 200)
    throw errorOf(methods ?? { id: 'methods', status: 502, attempts: 0 }, 'list authentication methods', REQUESTS.methodsList);
  if (details && details.status !== 200 && details.status !== 404) throw errorOf(details, 'read registration details', REQUESTS.registrationDetailsGet);
  const page = methods.body as { value?: AnyMethod[]; '@odata.nextLink'?: string };
  const all = page['@odata.nextLink'] ? await readAll<AnyMethod>(client, () => Promise.resolve(page), baseUrl) : (page.value ?? []);
  if ('error' in beta) throw beta.error;
  return {
    methods: withBetaOnly(all.map(toAuthMethod), beta.methods),
    details: details?.status === 200 ? toRegistrationDetails(details.body as Graph.UserRegistrationDetails) : undefined,
  };
}

/**
 * Deletes methods in the order given (plan.deletionOrder: alternateMobile before mobile, the default method last),
 * as one `$batch` chain of up to 20 where each request depends on the one before: one round trip. A 404 counts as
 * done (the method is gone), but Graph answers the rest of the chain 424, so those go again in the next chain. beta
 * requests (QR code PIN, hardware OATH) go first in their own chain. The first other failure stops and throws, with
 * the request ids of what was deleted before it.
 */
export async function deleteMethodsInOrder(
  client: Client,
  requests: readonly GraphRequest[],
  options: BatchOptions = {},
): Promise<{ requestIds: readonly string[]; deleted: number; roundTrips: number }> {
  for (const r of requests) {
    if (r.method !== 'DELETE' || !r.path.startsWith('/users/') || !r.path.includes('/authentication/') || /\/authentication\/methods\//i.test(r.path)) {
      throw new Error(`deleteMethodsInOrder needs per-type DELETE requests from plan.deleteRequest, not ${r.method} ${r.path}`);
    }
  }
  const requestIds: string[] = [];
  let deleted = 0;
  let roundTrips = 0;
  for (const version of ['beta', 'v1.0'] as const) {
    let remaining = requests.filter((r) => r.version === version).map((r, i) => ({ ...r, id: `${version}-${i}` }));
    for (let chain = 0; remaining.length > 0; chain++) {
      if (chain > requests.length) throw new DirectoryError('unavailable', 'Microsoft Graph kept refusing the method deletions as a chain; try again.');
      const unit = remaining.slice(0, MAX_BATCH_REQUESTS);
      const run = await runBatches(client, [{ requests: unit.map((r) => ({ id: r.id, method: 'DELETE' as const, url: r.path })), sequential: true }], {
        ...options,
        version,
      });
      roundTrips += run.roundTrips;
      const again: typeof remaining = [];
      for (const r of unit) {
        const answer = run.answers.get(r.id);
        if (!answer) throw new DirectoryError('unavailable', 'Microsoft Graph did not answer a method deletion; try again.');
        if (answer.status === 424) again.push(r);
        else if (answer.status === 404 || (answer.status >= 200 && answer.status < 300)) {
          if (answer.requestId) requestIds.push(answer.requestId);
          if (answer.status !== 404) deleted++;
        } else throw errorOf(answer, 'delete authentication method', entryFor('DELETE', version, r.path), 'delete an authentication method');
      }
      remaining = [...again, ...remaining.slice(MAX_BATCH_REQUESTS)];
    }
  }
  return { requestIds, deleted, roundTrips };
}
