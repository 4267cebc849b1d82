import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { CardCache, canonicalKey } from './card-cache';

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
 * Cards never cached: they carry a one-time secret or link (a Temporary Access Pass, a password, a Verified ID request)
 * that must not outlive its one answer in this process's memory, and nobody asks for the same one twice.
 */
const UNCACHED: ReadonlySet<CardName> = new Set<CardName>(['secret', 'verification-link']);

/** Bounds of the rendered-card cache: a busy channel's open cases, each in a few views; at most 4 MB of card JSON. */
export const CARD_CACHE_LIMITS = { entries: 200, bytes: 4 * 1024 * 1024 } as const;

/**
 * Renders Adaptive Card templates from cards/*.json. Templates are read and parsed once at start-up. In demo mode every card
 * gets the SIMULATED TENANT banner as its first element, so a screenshot can never be mistaken for a real tenant.
 *
 * A card is a pure function of its template, its data and the refusal line (the templates call only pure functions: if,
 * exists, and, or, not, count; the views take the clock as an input where they need it, so the time is in the data), so
 * the same inputs are answered from a bounded cache. The cards it returns are frozen: copy one to change it.
 */
export class CardRenderer {
  private readonly templates = new Map<string, ACData.Template>();
  private readonly cache: CardCache<Record<string, unknown>>;

  constructor(
    cardsDir: string,
    private readonly simulated: boolean,
    limits: { readonly entries: number; readonly bytes: number } = CARD_CACHE_LIMITS,
  ) {
    this.cache = new CardCache(limits.entries, limits.bytes);
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
    // The simulated flag is fixed per renderer, so it needs no place in the key.
    const dataKey = UNCACHED.has(name) ? undefined : canonicalKey(data);
    const key = dataKey === undefined ? undefined : `${name}\n${refusal === undefined ? 'u' : JSON.stringify(refusal)}\n${dataKey}`;
    const hit = key === undefined ? undefined : this.cache.get(key);
    if (hit) return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: hit };
    // Expanded from a copy of the data, so that the frozen card shares nothing with the caller's objects.
    const content = template.expand({ $root: key === undefined ? data : structuredClone(data) }) as Record<string, unknown>;
    if (refusal !== undefined) content.body = [refusalBlock(refusal), ...(Array.isArray(content.body) ? (content.body as unknown[]) : [])];
    if (this.simulated) addSimulatedBanner(content);
    if (key === undefined) return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
    // Its size in memory, roughly: the key and the card's JSON text in UTF-16 (measured on a miss only).
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: this.cache.set(key, content, (key.length + JSON.stringify(content).length) * 2) };
  }

  /** How many cards the cache holds and their estimated bytes (for tests and the bench). */
  cacheStats(): { readonly entries: number; readonly bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.totalBytes };
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
