import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface CardAttachment {
  readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  readonly content: Record<string, unknown>;
}

/** The templates in cards/*.json, by file name without extension. */
export type CardName =
  | 'intake'
  | 'help'
  | 'triage'
  | 'plan'
  | 'approval'
  | 'progress'
  | 'reveal'
  | 'secret'
  | 'verification-link'
  | 'summary'
  | 'readiness'
  | 'incident'
  | 'refusal'
  | 'form'
  | 'status';

/**
 * Renders Adaptive Card templates from cards/*.json. Templates are read and parsed once at start-up. In demo mode every card
 * gets the SIMULATED TENANT banner as its first element, so a screenshot can never be mistaken for a real tenant.
 */
export class CardRenderer {
  private readonly templates = new Map<string, ACData.Template>();

  constructor(
    cardsDir: string,
    private readonly simulated: boolean,
  ) {
    for (const file of readdirSync(cardsDir).filter((f) => f.endsWith('.json'))) {
      // Parsing here makes a broken template fail at start-up, not in front of an approver.
      this.templates.set(file.replace(/\.json$/, ''), new ACData.Template(JSON.parse(readFileSync(join(cardsDir, file), 'utf8'))));
    }
  }

  templateNames(): string[] {
    return [...this.templates.keys()];
  }

  /**
   * `refusal`: why a click on this card was refused, shown in red at the top of the card re-rendered for the person who
   * clicked (the invoke response replaces the card in their view only; see src/teams/refusal-card.ts).
   */
  render(name: CardName, data: object, refusal?: string): CardAttachment {
    const template = this.templates.get(name);
    if (!template) throw new Error(`No card template cards/${name}.json`);
    const content = template.expand({ $root: data }) as Record<string, unknown>;
    if (refusal !== undefined) content.body = [refusalBlock(refusal), ...(Array.isArray(content.body) ? (content.body as unknown[]) : [])];
    if (this.simulated) addSimulatedBanner(content);
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
  }
}

/** The refusal line on a re-rendered card: the same element on every card, found by its id in tests. */
export function refusalBlock(text: string): Record<string, unknown> {
  return { type: 'TextBlock', id: 'refusal', text, color: 'Attention', weight: 'Bolder', wrap: true };
}

function addSimulatedBanner(card: Record<string, unknown>): void {
  const body = Array.isArray(card.body) ? (card.body as unknown[]) : [];
  card.body = [
    {
      type: 'Container',
      style: 'warning',
      bleed: true,
      items: [
        {
          type: 'TextBlock',
          text: 'SIMULATED TENANT — demo data, no real accounts are read or changed',
          weight: 'Bolder',
          wrap: true,
          size: 'Small',
        },
      ],
    },
    ...body,
  ];
}
