import { deepFreeze } from '../deep-freeze';

/**
 * A bounded least-recently-used map of rendered cards. Expanding a template costs about ten times what building its key
 * costs, and a click that changes nothing (an automatic refresh, a refused click) asks for the card it got last time.
 * Cards are frozen before they are stored, so a caller that wants to change one must copy it (and one that forgets
 * fails loudly in strict mode instead of changing the card the next caller gets).
 */
export class CardCache<T extends object> {
  private readonly entries = new Map<string, { readonly value: T; readonly bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Most recently used last: Map keeps insertion order, so the first key is the one to evict.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` frozen (deeply) and returns it; `bytes` is its size and its key's, for the byte bound. */
  set(key: string, value: T, bytes: number): T {
    const frozen = deepFreeze(value);
    if (bytes > this.maxBytes) return frozen;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.bytes;
    }
    this.entries.set(key, { value: frozen, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
    return frozen;
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}

/**
 * A key that names `data` completely, or undefined when `data` holds anything a key cannot name faithfully (then the
 * card is rendered and not cached). Template expansion reads only own enumerable string-keyed properties of plain
 * objects and arrays, and strings, finite numbers, booleans and null: everything else (a Date, a Map, a class instance,
 * NaN, -0, a function, a symbol key, a cycle) makes the data uncacheable rather than risk two inputs sharing one key.
 * `undefined` is written as its own token, unlike JSON.stringify, which drops it. Key order is kept as given: views
 * build their objects in a fixed order, and a different order only costs a miss.
 */
export function canonicalKey(data: unknown): string | undefined {
  return keyOf(data, 0);
}

const MAX_DEPTH = 32;
/** What JSON.stringify escapes in a string (a quote, a backslash, a control character, a lone surrogate), and a little more. */
const NEEDS_ESCAPE = /["\\\p{Cc}\p{Cs}\u2028\u2029]/u;

function keyOf(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return !NEEDS_ESCAPE.test(value) ? `"${value}"` : JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : undefined;
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'object': {
      if (value === null) return 'n';
      if (depth >= MAX_DEPTH) return undefined;
      if (Array.isArray(value)) {
        // A subclass, or an array with properties besides its items, could show the template more than the key.
        if (Object.getPrototypeOf(value) !== Array.prototype || Object.keys(value).length !== value.length) return undefined;
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) return undefined; // a hole
          const item = keyOf(value[i], depth + 1);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return undefined;
      // Every own string key, enumerable or not; a symbol key or an accessor (whose value could change) is not keyed.
      const names = Object.getOwnPropertyNames(value);
      if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
      let out = '{';
      for (let i = 0; i < names.length; i++) {
        const k = names[i] as string;
        const descriptor = Object.getOwnPropertyDescriptor(value, k);
        if (!descriptor || !('value' in descriptor)) return undefined;
        const item = keyOf(descriptor.value, depth + 1);
        if (item === undefined) return undefined;
        const name = !NEEDS_ESCAPE.test(k) ? `"${k}"` : JSON.stringify(k);
        out += i === 0 ? `${name}:${item}` : `,${name}:${item}`;
      }
      return `${out}}`;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      return undefined;
  }
}
