/** An `adaptiveCard/action` invoke response body as a client receives it. */
export interface AnswerBody {
  readonly statusCode: number;
  readonly type: string;
  readonly value: unknown;
}

export const CARD_ANSWER = 'application/vnd.microsoft.card.adaptive';

function refusalBlockText(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = refusalBlockText(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  if (record.type === 'TextBlock' && record.id === 'refusal' && typeof record.text === 'string') return record.text;
  return refusalBlockText(Object.values(record));
}

/**
 * The refusal a clicker reads, or undefined when the click was done: a refused click is answered with a card whose red
 * line (TextBlock id "refusal") says why (src/teams/refusal-card.ts); a message or an error body is a refusal too.
 */
export function refusalOf(body: AnswerBody | undefined): string | undefined {
  if (!body) return undefined;
  if (body.type === CARD_ANSWER) return refusalBlockText(body.value);
  if (typeof body.value === 'string') return body.value;
  const v = body.value as { code?: unknown; message?: unknown } | undefined;
  return v ? `${String(v.message)} (${String(v.code)})` : body.type;
}

/** The click was done: answered with a card that carries no refusal. */
export const accepted = (body: AnswerBody | undefined): boolean => body?.type === CARD_ANSWER && refusalOf(body) === undefined;
