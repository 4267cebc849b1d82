/** Small queries over a rendered card, for tests that ask "which buttons and inputs does this card have?". */

export interface ExecuteAction {
  readonly title?: string;
  readonly verb: string;
  readonly data: Record<string, unknown>;
}

function walk(node: unknown, visit: (record: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    visit(record);
    for (const value of Object.values(record)) walk(value, visit);
  }
}

/** Every Action.Execute in the card's body and actions (the refresh action is not a button, so it is left out). */
export function buttonsOf(card: Record<string, unknown>): ExecuteAction[] {
  const found: ExecuteAction[] = [];
  walk({ body: card.body, actions: card.actions }, (r) => {
    if (r.type === 'Action.Execute') found.push({ title: r.title as string | undefined, verb: r.verb as string, data: r.data as Record<string, unknown> });
  });
  return found;
}

/** Every action of any kind anywhere in the card, refresh included. */
export function anyActionsOf(card: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  walk(card, (r) => {
    if (typeof r.type === 'string' && r.type.startsWith('Action.')) found.push(r);
  });
  return found;
}

export function inputIdsOf(card: unknown): string[] {
  const ids: string[] = [];
  walk(card, (r) => {
    if (typeof r.type === 'string' && r.type.startsWith('Input.') && typeof r.id === 'string') ids.push(r.id);
  });
  return ids;
}

export function inputOf(card: unknown, id: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  walk(card, (r) => {
    if (typeof r.type === 'string' && r.type.startsWith('Input.') && r.id === id) found = r;
  });
  return found;
}

export function verbsIn(card: Record<string, unknown>): string[] {
  return buttonsOf(card).map((b) => b.verb);
}

/** FactSet rows as "title: value". */
export function factsOf(card: unknown): string[] {
  const facts: string[] = [];
  walk(card, (r) => {
    if (typeof r.title === 'string' && typeof r.value === 'string' && r.type === undefined) facts.push(`${r.title}: ${r.value}`);
  });
  return facts;
}
