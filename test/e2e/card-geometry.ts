/**
 * What "the card does not fit" means, measured on the rendered page (geometry, never pixels: a font update moves
 * pixels, not the fact that a name runs into the next column).
 *
 * - `card-wider`: the card is wider than the width Teams gives it (a phone would cut it off: no horizontal scrolling).
 * - `text-escapes`: a piece of text is drawn outside a box it belongs to (its table cell, its column, the card), as the
 *   triage timeline's "Who" did, running into "Result".
 * - `clipped`: a box hides part of its content (`overflow` hidden, `scrollWidth > clientWidth`): a non-wrapping
 *   text block or choice cut with an ellipsis, a button title cut short.
 * - `columns-overlap`: two side-by-side boxes (columns of a ColumnSet, cells of a table row, buttons) overlap.
 *
 * `measureFit` runs inside the browser (page.evaluate serialises it), so it uses nothing from outside its own body.
 */
export type FitProblemKind = 'card-wider' | 'text-escapes' | 'clipped' | 'columns-overlap';

export interface FitProblem {
  readonly kind: FitProblemKind;
  /** The text involved (its start), so a person finds the place on the screenshot. */
  readonly text: string;
  readonly detail: string;
}

/** The problems of the card rendered as the only child of the element `hostId`. Runs in the page. */
export function measureFit(hostId: string): FitProblem[] {
  /** Sub-pixel rounding differs between layouts; one pixel is not a visible overflow. */
  const TOLERANCE = 1;
  const problems: FitProblem[] = [];
  const host = document.getElementById(hostId);
  const card = host?.firstElementChild;
  if (!host || !(card instanceof HTMLElement)) return [{ kind: 'card-wider', text: '', detail: 'no card was rendered' }];
  const snippet = (el: Element | null): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
  const label = (el: Element): string => {
    const cls = Array.from(el.classList).find((c) => c.startsWith('ac-'));
    return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}`;
  };

  const hostWidth = host.clientWidth;
  const cardRect = card.getBoundingClientRect();
  if (cardRect.width > hostWidth + TOLERANCE || card.scrollWidth > card.clientWidth + TOLERANCE)
    problems.push({
      kind: 'card-wider',
      text: snippet(card),
      detail: `card ${Math.round(cardRect.width)} px (content ${card.scrollWidth} px), Teams gives it ${hostWidth} px`,
    });

  // Text outside a box it belongs to: every line box of every text node against each block ancestor up to the card.
  const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent?.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = Array.from(range.getClientRects()).filter((r) => r.width > 0);
    if (lines.length === 0) continue;
    const left = Math.min(...lines.map((r) => r.left));
    const right = Math.max(...lines.map((r) => r.right));
    for (let box = node.parentElement; box && card.contains(box); box = box.parentElement) {
      if (getComputedStyle(box).display === 'inline') continue;
      const rect = box.getBoundingClientRect();
      if (right > rect.right + TOLERANCE || left < rect.left - TOLERANCE) {
        problems.push({
          kind: 'text-escapes',
          text: snippet(node.parentElement),
          detail: `text spans ${Math.round(left)}-${Math.round(right)} px, its ${label(box)} ${Math.round(rect.left)}-${Math.round(rect.right)} px`,
        });
        break;
      }
    }
  }

  for (const el of [card, ...Array.from(card.querySelectorAll('*'))]) {
    if (!(el instanceof HTMLElement) || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    // Hidden content: a box that cuts what it holds. An ellipsis box cuts whole glyphs as soon as its text is a
    // fraction of a pixel too wide ("Re-check validati…" overflowed by 1.3 px), so it gets no tolerance.
    const slack = style.textOverflow === 'ellipsis' ? 0 : TOLERANCE;
    if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + slack)
      problems.push({ kind: 'clipped', text: snippet(el), detail: `${label(el)} shows ${el.clientWidth} of ${el.scrollWidth} px` });
    // Side by side: the children of a row (columns, cells, buttons) must not overlap where they share a line.
    if (style.display.endsWith('flex') && !style.flexDirection.startsWith('column')) {
      const kids = Array.from(el.children)
        .map((child) => ({ child, r: child.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && r.height > 0);
      for (let i = 0; i < kids.length; i++)
        for (let j = i + 1; j < kids.length; j++) {
          const a = kids[i]!;
          const b = kids[j]!;
          const sameLine = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top) > TOLERANCE;
          const overlap = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          if (sameLine && overlap > TOLERANCE)
            problems.push({
              kind: 'columns-overlap',
              text: `${snippet(a.child)} | ${snippet(b.child)}`,
              detail: `${label(el)}: two of its children overlap by ${Math.round(overlap)} px`,
            });
        }
    }
  }
  return problems;
}
