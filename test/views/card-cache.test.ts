import { join } from 'node:path';
import { CardCache, canonicalKey } from '../../src/views/card-cache';
import { CardRenderer, type CardName } from '../../src/views/card-renderer';
import { SAMPLES } from './card-samples';

const CARDS = join(__dirname, '..', '..', 'cards');

/**
 * A deep copy made of this realm's objects (jest runs the tests in a vm context, where structuredClone makes objects of
 * the outer realm, whose prototypes canonicalKey rightly does not take for plain objects).
 */
const copy = <T>(v: T): T =>
  (Array.isArray(v) ? v.map(copy) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) : v) as T;

/** An accessor's value may change between reads (this one counts them): a key cannot name it. */
let accessorReads = 0;

describe('canonicalKey', () => {
  it('is the same for equal data and differs wherever the data differs', () => {
    const a = { caseId: 'RC-1', version: 3, rows: [{ who: 'Alex', ok: true }], note: null };
    expect(canonicalKey(a)).toBe(canonicalKey(copy(a)));
    const variants: unknown[] = [
      { ...a, version: 4 },
      { ...a, caseId: 'RC-2' },
      { ...a, rows: [{ who: 'Alex', ok: false }] },
      {
        ...a,
        rows: [
          { who: 'Alex', ok: true },
          { who: 'Patti', ok: true },
        ],
      },
      { ...a, note: 'n' },
      { ...a, note: undefined },
      { ...a, extra: undefined }, // JSON.stringify would drop it and collide with `a`
      { ...a, version: '3' },
      { ...a, caseId: 'RC-1",' },
    ];
    const keys = new Set([canonicalKey(a), ...variants.map((v) => canonicalKey(v))]);
    expect(keys.size).toBe(variants.length + 1);
    expect(keys.has(undefined)).toBe(false);
  });

  it('escapes strings, so that text cannot pose as structure', () => {
    expect(canonicalKey({ a: 'x","b":"y' })).not.toBe(canonicalKey({ a: 'x', b: 'y' }));
    expect(canonicalKey({ ['a":"x","b']: 'y' })).not.toBe(canonicalKey({ a: 'x', b: 'y' }));
    for (const text of ['\u0000', '\n', '\\', '\ud800', '\u{1F600}', '\u2028']) expect(canonicalKey(text)).toBe(JSON.stringify(text));
  });

  it.each([
    ['NaN', { n: NaN }],
    ['Infinity', { n: Infinity }],
    ['-0', { n: -0 }],
    ['a Date', { at: new Date(0) }],
    ['a Map', { m: new Map() }],
    ['a class instance', { x: new (class Point {})() }],
    ['a function', { f: () => 1 }],
    ['a bigint', { b: BigInt(1) }],
    ['a symbol key', { [Symbol('s')]: 1 }],
    ['an accessor', Object.defineProperty({}, 'count', { get: () => ++accessorReads, enumerable: true })],
    ['an array with a hole', { a: Object.assign(new Array<number>(2), { 0: 1 }) }],
    ['an array with a named property', { a: Object.assign([1], { extra: 2 }) }],
  ])('refuses data with %s (rendered, not cached)', (_label, data) => {
    expect(canonicalKey(data)).toBeUndefined();
  });

  it('names a non-enumerable property too', () => {
    const hidden = Object.defineProperty({ a: 1 }, 'b', { value: 2, enumerable: false });
    expect(canonicalKey(hidden)).not.toBe(canonicalKey({ a: 1 }));
  });
});

describe('CardCache', () => {
  it('evicts the least recently used entry beyond its count', () => {
    const cache = new CardCache<object>(2, 1_000);
    cache.set('a', {}, 1);
    cache.set('b', {}, 1);
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('c', {}, 1);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('evicts beyond its bytes, and never stores an entry larger than all of them', () => {
    const cache = new CardCache<object>(100, 10);
    cache.set('a', {}, 4);
    cache.set('b', {}, 4);
    cache.set('c', {}, 4);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.totalBytes).toBe(8);
    cache.set('huge', {}, 11);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.totalBytes).toBe(8);
  });

  it('counts a replaced entry once', () => {
    const cache = new CardCache<object>(10, 100);
    cache.set('a', {}, 5);
    cache.set('a', {}, 7);
    expect(cache.totalBytes).toBe(7);
    expect(cache.size).toBe(1);
  });
});

describe('CardRenderer cache', () => {
  const cases = Object.entries(SAMPLES).flatMap(([name, samples]) => samples.map(([label, data]) => [name as CardName, label, data] as const));

  const cached = new CardRenderer(CARDS, true);
  // A renderer that keeps nothing renders every card anew.
  const uncached = new CardRenderer(CARDS, true, { entries: 0, bytes: 0 });

  it.each(cases)('%s for %s: a cached card equals a freshly rendered one', (name, _label, data) => {
    const first = cached.render(name, data);
    const again = cached.render(name, copy(data));
    const fresh = uncached.render(name, data);
    expect(again.content).toEqual(fresh.content);
    expect(first.content).toEqual(fresh.content);
    expect(cached.render(name, data, 'Refused for a test.').content).toEqual(uncached.render(name, data, 'Refused for a test.').content);
  });

  it('answers the same inputs with the same frozen card, and other inputs with another', () => {
    const renderer = new CardRenderer(CARDS, false);
    const [, data] = SAMPLES.approval[0] ?? [];
    if (!data) throw new Error('no approval sample');
    const one = renderer.render('approval', data);
    expect(renderer.render('approval', copy(data)).content).toBe(one.content);
    expect(renderer.render('approval', data, 'No.').content).not.toBe(one.content);
    expect(renderer.render('approval', { ...data, sig: 'another' }).content).not.toBe(one.content);
    expect(Object.isFrozen(one.content)).toBe(true);
    expect(() => {
      (one.content as { body: unknown[] }).body.push({});
    }).toThrow(TypeError);
  });

  it('keeps nothing of the caller: changing the data after rendering does not change the cached card', () => {
    const renderer = new CardRenderer(CARDS, false);
    const data = copy(SAMPLES.approval[0]?.[1]) as { decisions: { who: string }[] };
    const before = JSON.stringify(renderer.render('approval', data).content);
    const frozen: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (!v || typeof v !== 'object') return;
      if (Object.isFrozen(v)) frozen.push(path);
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    };
    walk(data, 'data');
    expect(frozen).toEqual([]);
    for (const d of data.decisions) d.who = 'Mallory';
    const equalData = copy(SAMPLES.approval[0]?.[1]) as object;
    expect(JSON.stringify(renderer.render('approval', equalData).content)).toBe(before);
  });

  it('never keeps a card that carries a secret or a verification link', () => {
    const renderer = new CardRenderer(CARDS, false);
    for (const name of ['secret', 'verification-link'] as const) for (const [, data] of SAMPLES[name]) renderer.render(name, data);
    expect(renderer.cacheStats().entries).toBe(0);
    renderer.render('help', SAMPLES.help[0]?.[1] ?? {});
    expect(renderer.cacheStats().entries).toBe(1);
  });
});
