// The UMD build is the one that loads in Node (the package's ESM entry does not); see the Teams spec §9.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

/** Problems a real Adaptive Cards parser reports (unknown element types, bad property values). */
export function parseProblems(card: unknown): string[] {
  const context = new AC.SerializationContext();
  new AC.AdaptiveCard().parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  return problems;
}

/** Every `Action.Execute` verb in a card, including refresh actions. */
export function verbsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(verbsOf);
  if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const own = record.type === 'Action.Execute' && typeof record.verb === 'string' ? [record.verb] : [];
    return [...own, ...Object.values(record).flatMap(verbsOf)];
  }
  return [];
}

export function textsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(textsOf);
  if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    return [...(typeof record.text === 'string' ? [record.text] : []), ...Object.values(record).flatMap(textsOf)];
  }
  return [];
}

/** An HTML-like tag such as `<case id>`; `<at>…</at>` is a Teams mention and meant as markup. */
const HTML_LIKE = /<(?!\/?at>)\/?[A-Za-z][^<>]*>/g;

/**
 * Angle-bracket placeholders in every string of a card or message (texts, fact values, labels, input placeholders):
 * Teams and the Agents Playground take them for HTML tags and drop them, so "recover <upn>" shows as "recover".
 */
export function htmlLikeTags(node: unknown): string[] {
  if (typeof node === 'string') return node.match(HTML_LIKE) ?? [];
  if (Array.isArray(node)) return node.flatMap(htmlLikeTags);
  if (node && typeof node === 'object') return Object.values(node as Record<string, unknown>).flatMap(htmlLikeTags);
  return [];
}
