import type { IncidentObserver } from '../app/incident';
import type { IncidentCase } from '../domain/incident';
import type { Logger } from '../ports/logger';
import type { CardRenderer } from '../views/card-renderer';
import { incidentView } from '../views/incident-view';
import type { ThreadPoster } from './thread-poster';

/**
 * The incident's run card in its thread: posted when a run starts, edited with progress (the use case calls at most
 * every few seconds) and with the results when it ends. Plans and approvals are answered in the conversation by the
 * handler. The card's activity id is kept in memory: after a restart the resumed run posts a new card.
 */
export class IncidentThreadCards implements IncidentObserver {
  private readonly posted = new Map<string, string>();

  constructor(
    private readonly poster: ThreadPoster,
    private readonly cards: CardRenderer,
    private readonly logger: Logger,
  ) {}

  async incidentChanged(c: IncidentCase): Promise<void> {
    if (c.state === 'executing' || c.state === 'completed') await this.show(c);
  }

  async progress(c: IncidentCase, answered: number, total: number): Promise<void> {
    await this.show(c, { answered, total });
  }

  private async show(c: IncidentCase, progress?: { answered: number; total: number }): Promise<void> {
    if (!c.thread) return;
    const activity = { attachments: [this.cards.render('incident', incidentView(c, progress))] };
    try {
      const id = this.posted.get(c.id);
      if (id) await this.poster.update(c.thread, id, activity);
      else {
        const posted = await this.poster.post(c.thread, activity);
        if (posted) this.posted.set(c.id, posted);
      }
    } catch (e) {
      // The run goes on: the card is a view of the stored incident, which `incident status` shows again.
      this.logger.warn('incident card not posted', { id: c.id, error: e instanceof Error ? e.message : 'unknown' });
    }
  }
}
