import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';

/**
 * The Bot Framework adapter with one activity handed in at a time: the HTTP layer (src/http/server.ts) parses the body
 * and answers every failure itself, short and without a stack, instead of CloudAdapter.process, which answers a token
 * it cannot verify with 500 and the JWT library's message, and prints the error to stderr.
 */
export class BotAdapter extends TeamsAdapter {
  /** Authenticates the request's Authorization header for this activity (throws when it cannot), then runs `logic`. */
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}
