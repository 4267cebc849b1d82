import { rejectUndocumentedOptions, type DocumentedQuery } from './documented-query';
import type { ApiVersion, HttpMethod, Route } from './http-types';
import { matchRoute } from './router';
import { auditLogRoutes } from './routes/audit-logs';
import { deletedItemRoutes } from './routes/deleted-items';
import { groupEligibilityRoutes } from './routes/group-eligibility';
import { groupRoutes } from './routes/groups';
import { methodRoutes } from './routes/methods';
import { policyRoutes } from './routes/policies';
import { reportRoutes } from './routes/reports';
import { resourceActionRoutes } from './routes/resource-actions';
import { roleEligibilityRoutes } from './routes/role-eligibility';
import { roleRoutes } from './routes/roles';
import { signInPreferenceRoutes } from './routes/sign-in-preferences';
import { tapRoutes } from './routes/tap';
import { userReadRoutes } from './routes/users-read';
import { userWriteRoutes } from './routes/users-write';
import { managerMailRoutes } from './routes/manager-mail';
import { verifiedIdProfileRoutes } from './routes/verified-id-profiles';

/**
 * A route that first answers Graph's 400 for any query option its reference page does not document, so a client that
 * relies on an undocumented option fails here as it would (or might) on Microsoft Graph.
 */
function withDocumentedQuery(route: Route): Route {
  const { query } = route;
  if (!query) throw new Error(`${route.method} ${route.path} declares no documented query options`);
  return {
    ...route,
    handler: (ctx) => {
      rejectUndocumentedOptions(ctx, query);
      return route.handler(ctx);
    },
  };
}

/** The one list of Graph routes the simulated tenant answers (order matters only for literal-vs-parameter overlaps). */
export const GRAPH_ROUTES: readonly Route[] = [
  ...userReadRoutes,
  ...userWriteRoutes,
  ...managerMailRoutes,
  ...methodRoutes,
  ...tapRoutes,
  ...signInPreferenceRoutes,
  ...deletedItemRoutes,
  ...auditLogRoutes,
  ...groupRoutes,
  ...roleRoutes,
  ...roleEligibilityRoutes,
  ...groupEligibilityRoutes,
  ...resourceActionRoutes,
  ...reportRoutes,
  // Before policyRoutes: its literal VerifiableCredentials path overlaps their `{id}`.
  ...verifiedIdProfileRoutes,
  ...policyRoutes,
].map(withDocumentedQuery);

/**
 * The query options Graph documents for the endpoint a request goes to, and their page: what the bot's request registry
 * is checked against. Undefined when the simulator has no such route.
 */
export function documentedQueryFor(method: HttpMethod, version: ApiVersion, path: string): DocumentedQuery | undefined {
  const match = matchRoute(
    GRAPH_ROUTES,
    method,
    version,
    path.split('/').filter((s) => s.length > 0),
  );
  return match.kind === 'match' ? match.route.query : undefined;
}
