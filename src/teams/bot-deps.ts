import type { Actor, RecoveryCase, ThreadRef } from '../domain/case';
import type { Result } from '../domain/errors';
import type { Logger } from '../ports/logger';
import type { CardRenderer } from '../views/card-renderer';

/**
 * What the Teams shell needs, as use-case functions. The shell parses activities and renders replies; it never
 * reaches Graph or storage itself.
 */
export interface BotDeps {
  readonly openCase: (request: { rawTarget: string; requester: Actor | undefined; thread: ThreadRef }) => Promise<Result<RecoveryCase>>;
  readonly showCase: (request: { rawCaseId: string; requester: Actor | undefined; thread: ThreadRef }) => Promise<Result<RecoveryCase>>;
  readonly cards: CardRenderer;
  readonly logger: Logger;
  /** The only tenant the bot serves. */
  readonly tenantId: string;
}
