import type { StoreItem } from 'botbuilder';
import type { IncidentObserver } from '../app/incident';
import type { IncidentCase } from '../domain/incident';
import type { Logger } from '../ports/logger';
import { renderIncidentCard, type IncidentCardDeps } from './incident-card';
import type { CardRefStorage } from './thread-cards';
import type { ThreadPoster } from './thread-poster';

interface CardRef extends StoreItem {
  activityId: string;
}

const keyOf = (incidentId: string): string => `threads/${incidentId}/incident`;

/**
 * The incident's one card in its thread. The answer to `incident <actor> …` is that card; its message id is kept in
 * storage (`threads/<id>/incident`), so every later change (a click, a typed command, the run's progress and results)
 * edits it in place, from whichever instance makes the change. An incident whose card is not known (opened before the
 * id was kept, or the answer's id was lost) gets a card posted when its run starts, as before.
 */
export class IncidentThreadCards implements IncidentObserver {
  /** Message ids never change once known: a run's progress edits do not read storage each time. */
  private readonly known = new Map<string, string>();

  constructor(
    private readonly poster: ThreadPoster,
    private readonly storage: CardRefStorage,
    private readonly deps: IncidentCardDeps & { readonly logger: Logger },
  ) {}

  /** Remembers the message that shows the incident (the answer to the command that opened it). */
  async shown(c: IncidentCase, activityId: string): Promise<void> {
    this.known.set(c.id, activityId);
    if (!(await this.storage.create(keyOf(c.id), { activityId }))) this.deps.logger.warn('incident card already recorded', { id: c.id });
  }

  async incidentChanged(c: IncidentCase): Promise<void> {
    await this.show(c);
  }

  async progress(c: IncidentCase, answered: number, total: number): Promise<void> {
    await this.show(c, { answered, total });
  }

  private async messageOf(id: string): Promise<string | undefined> {
    const cached = this.known.get(id);
    if (cached) return cached;
    const stored = (await this.storage.read([keyOf(id)]))[keyOf(id)] as CardRef | undefined;
    if (stored?.activityId) this.known.set(id, stored.activityId);
    return stored?.activityId;
  }

  private async show(c: IncidentCase, progress?: { answered: number; total: number }): Promise<void> {
    if (!c.thread) return;
    const activity = { type: 'message', attachments: [renderIncidentCard(this.deps, c, progress ? { progress } : {})] };
    try {
      const id = await this.messageOf(c.id);
      if (id) await this.poster.update(c.thread, id, activity);
      else if (c.state === 'executing' || c.state === 'completed') {
        const posted = await this.poster.post(c.thread, activity);
        if (posted) await this.shown(c, posted);
      }
    } catch (e) {
      // The incident is saved; the card is a view of it, which `incident status` shows again.
      this.deps.logger.warn('incident card not posted', { id: c.id, error: e instanceof Error ? e.message : 'unknown' });
    }
  }
}
