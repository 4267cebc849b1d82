import { GraphHttpError, directoryErrors, gatewayErrors } from '../errors';
import { rejectUnimplementedOptions } from '../documented-query';
import type { JsonObject } from '../json';
import type { Route, RouteContext, SimResponse } from '../http-types';
import { readSelect } from '../odata-query';
import { entityResponse } from '../paging';
import { param, requireBody, requireUser } from '../route-helpers';
import { findUser } from '../tenant-state';
import { SELECTABLE_USER_PROPERTIES, userView } from '../user-views';

/**
 * GET /users/{id}/manager (https://learn.microsoft.com/graph/api/user-list-manager): the manager as a directoryObject
 * typed `#microsoft.graph.user`. A user without one answers 404 Request_ResourceNotFound naming the navigation property
 * ("Resource 'manager' does not exist or one of its queried reference-property objects are not present.", as Graph
 * answers it: seen in Graph's own responses recorded by client libraries); so does a manager that is no longer active
 * (the reference is dropped when the manager is deleted).
 */
function getManager(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, ['$select']);
  const select = readSelect(ctx, SELECTABLE_USER_PROPERTIES, 'user');
  const user = requireUser(ctx);
  const managerId = ctx.tenant.managers.get(user.id);
  const manager = managerId === undefined ? undefined : ctx.tenant.users.get(managerId);
  if (!manager) throw directoryErrors.notFound('manager');
  return entityResponse(ctx, 'directoryObjects/$entity', { '@odata.type': '#microsoft.graph.user', ...userView(ctx.tenant, manager, select) });
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The recipients' addresses, or Graph's 400 ErrorInvalidRecipients (https://github.com/microsoftgraph/php-connect-sample/issues/13). */
function recipients(message: JsonObject): string[] {
  const list = message['toRecipients'];
  const addresses = Array.isArray(list) ? list.map((r) => (isObject(r) && isObject(r['emailAddress']) ? r['emailAddress']['address'] : undefined)) : [];
  if (addresses.length === 0) {
    throw new GraphHttpError(400, 'ErrorInvalidRecipients', "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
  }
  return addresses.map((a) => {
    if (typeof a !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(a)) {
      throw new GraphHttpError(
        400,
        'ErrorInvalidRecipients',
        `At least one recipient isn't valid., Recipient "${typeof a === 'string' ? a : JSON.stringify(a ?? null)}" isn't resolved. All recipients must be resolved before a message can be submitted.`,
      );
    }
    return a;
  });
}

/**
 * POST /users/{sender}/sendMail (https://learn.microsoft.com/graph/api/user-sendmail): 202 Accepted with no body, the
 * message kept in the simulator's outbox (GET /_simulator/outbox; there is no Exchange). The sender is checked as
 * Exchange Online answers: an unknown user 404 ErrorInvalidUser; a user without a mailbox (here: no `mail` address)
 * 404 MailboxNotEnabledForRESTAPI "The mailbox is either inactive, soft-deleted, or is hosted on-premise." (recorded
 * from Graph: iyear/E5SubBot#39, microsoftgraph/microsoft-graph-docs-contrib#405). A body without `message` is
 * refused (the simulator's wording: the reference says only that `message` is required).
 */
function sendMail(ctx: RouteContext): SimResponse {
  rejectUnimplementedOptions(ctx, []);
  const key = param(ctx, 'user');
  const sender = findUser(ctx.tenant, key);
  if (!sender) throw new GraphHttpError(404, 'ErrorInvalidUser', `The requested user '${key}' is invalid.`);
  if (sender.mail === null)
    throw new GraphHttpError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  const body = requireBody(ctx);
  const message = body['message'];
  if (!isObject(message)) throw gatewayErrors.badRequest("The request body must contain a 'message' object (microsoft.graph.message).");
  const to = recipients(message);
  const content = isObject(message['body']) ? message['body'] : {};
  const declared = content['contentType'];
  const contentType = typeof declared === 'string' && declared.toLowerCase() === 'html' ? 'html' : 'text';
  ctx.tenant.outbox.push({
    at: ctx.now.toISOString(),
    from: sender.userPrincipalName,
    to,
    subject: typeof message['subject'] === 'string' ? message['subject'] : '',
    contentType,
    content: typeof content['content'] === 'string' ? content['content'] : '',
  });
  return { status: 202 };
}

export const managerMailRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/users/{user}/manager',
    query: { page: 'https://learn.microsoft.com/graph/api/user-list-manager', options: ['$expand', '$select'] },
    handler: getManager,
  },
  {
    method: 'POST',
    path: '/users/{user}/sendMail',
    query: { page: 'https://learn.microsoft.com/graph/api/user-sendmail', options: [] },
    handler: sendMail,
  },
];
