import type { TurnContext } from 'botbuilder';
import { commandText } from './activity-context';
import type { BotDeps } from './bot-deps';
import { HELP_PATTERN, handleHelp, handleUnknown } from './handlers/help';
import { RECOVER_PATTERN, handleRecover } from './handlers/recover';
import { STATUS_PATTERN, handleStatus } from './handlers/status';
import { EXPORT_PATTERN, handleExport } from './handlers/export';
import { VERIFY_PATTERN, handleVerify } from './handlers/verify';
import { READINESS_PATTERN, handleReadiness } from './handlers/readiness';
import { INCIDENT_PATTERN, handleIncident } from './handlers/incident';
import { OVERRIDE_PATTERN, handleOverride } from './handlers/override';

export interface MessageRoute {
  readonly name: string;
  /** Anchored on the whole command text (mentions removed): "disapprove" never matches "approve". */
  readonly pattern: RegExp;
  readonly handle: (deps: BotDeps, context: TurnContext) => Promise<void>;
}

/** The one registration list of message commands, tried in order. Unmatched messages get the help answer. */
export const MESSAGE_ROUTES: readonly MessageRoute[] = [
  { name: 'recover', pattern: RECOVER_PATTERN, handle: handleRecover },
  { name: 'status', pattern: STATUS_PATTERN, handle: handleStatus },
  { name: 'export', pattern: EXPORT_PATTERN, handle: handleExport },
  { name: 'verify', pattern: VERIFY_PATTERN, handle: handleVerify },
  { name: 'override', pattern: OVERRIDE_PATTERN, handle: handleOverride },
  { name: 'readiness', pattern: READINESS_PATTERN, handle: handleReadiness },
  { name: 'incident', pattern: INCIDENT_PATTERN, handle: handleIncident },
  { name: 'help', pattern: HELP_PATTERN, handle: handleHelp },
];

export function routeMessage(context: TurnContext): MessageRoute | undefined {
  const text = commandText(context.activity);
  return MESSAGE_ROUTES.find((r) => r.pattern.test(text));
}

export { handleUnknown };
