import type { Route } from './http-types';
import { auditLogRoutes } from './routes/audit-logs';
import { deletedItemRoutes } from './routes/deleted-items';
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

/** The one list of Graph routes the simulated tenant answers (order matters only for literal-vs-parameter overlaps). */
export const GRAPH_ROUTES: readonly Route[] = [
  ...userReadRoutes,
  ...userWriteRoutes,
  ...methodRoutes,
  ...tapRoutes,
  ...signInPreferenceRoutes,
  ...deletedItemRoutes,
  ...auditLogRoutes,
  ...groupRoutes,
  ...roleRoutes,
  ...roleEligibilityRoutes,
  ...resourceActionRoutes,
  ...reportRoutes,
  ...policyRoutes,
];
