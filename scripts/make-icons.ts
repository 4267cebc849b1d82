/**
 * Draws the Teams app icons (manifest/color.png, manifest/outline.png): a shield with a key on it.
 * Deterministic: the same code always draws the same pixels, and a test compares the committed PNGs with it.
 *
 * Run: npx tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];
/** Is the point (x, y), in units of the icon's side (0..1), inside the shape? */
type Shape = (x: number, y: number) => boolean;

/** Keep in step with `accentColor` in manifest/manifest.json. */
const ACCENT: Rgb = [0x1f, 0x5a, 0xa6];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const SHIELD_EDGE: Rgb = [0xd6, 0xe4, 0xf5];
const KEY: Rgb = [0xf2, 0xb1, 0x1b];
/** Samples per pixel side when anti-aliasing the colour icon. */
const SUPERSAMPLE = 4;

/**
 * A shield centred on cx, top edge at `top`, straight sides down to 45% of its height, then tapering to a point.
 * `dip` curves the top edge down in the middle, as on a heater shield (0: flat).
 */
function shield(cx: number, top: number, halfWidth: number, height: number, dip = 0): Shape {
  const shoulder = top + height * 0.45;
  const bottom = top + height;
  return (x, y) => {
    if (y < top || y > bottom) return false;
    const dx = Math.abs(x - cx);
    if (y < top + height * dip * (1 - (dx / halfWidth) ** 2)) return false;
    if (y <= shoulder) return dx <= halfWidth;
    const t = (y - shoulder) / (bottom - shoulder);
    return dx <= halfWidth * Math.cos((t * Math.PI) / 2) ** 0.7;
  };
}

/** A key standing upright: a ring (the bow) on top, a shaft, and two teeth to the right. */
function key(cx: number, top: number, size: number): Shape {
  const bowRadius = size * 0.22;
  const holeRadius = size * 0.1;
  const bowY = top + bowRadius;
  const shaftHalf = size * 0.065;
  const shaftBottom = top + size;
  const tooth =
    (y0: number, y1: number): Shape =>
    (x, y) =>
      x >= cx && x <= cx + size * 0.2 && y >= top + size * y0 && y <= top + size * y1;
  const teeth = [tooth(0.72, 0.8), tooth(0.88, 0.96)];
  return (x, y) => {
    const d = Math.hypot(x - cx, y - bowY);
    if (d <= bowRadius) return d >= holeRadius;
    if (Math.abs(x - cx) <= shaftHalf && y >= bowY && y <= shaftBottom) return true;
    return teeth.some((t) => t(x, y));
  };
}

function pixel(png: PNG, x: number, y: number, [r, g, b]: Rgb, alpha: number): void {
  const i = (y * png.width + x) * 4;
  png.data[i] = r;
  png.data[i + 1] = g;
  png.data[i + 2] = b;
  png.data[i + 3] = alpha;
}

/** 192×192: white shield on the accent colour, a gold key on the shield; edges anti-aliased. */
export function drawColorIcon(size = 192): PNG {
  const png = new PNG({ width: size, height: size });
  const outer = shield(0.5, 0.17, 0.3, 0.68, 0.06);
  const inner = shield(0.5, 0.2, 0.27, 0.62, 0.06);
  const theKey = key(0.5, 0.3, 0.42);
  const layers: ReadonlyArray<readonly [Shape, Rgb]> = [
    [theKey, KEY],
    [inner, WHITE],
    [outer, SHIELD_EDGE],
  ];
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
          const colour = layers.find(([shape]) => shape(x, y))?.[1] ?? ACCENT;
          colour.forEach((c, i) => (sum[i] = (sum[i] ?? 0) + c));
        }
      }
      const n = SUPERSAMPLE * SUPERSAMPLE;
      const [r = 0, g = 0, b = 0] = sum.map((c) => Math.round(c / n));
      pixel(png, px, py, [r, g, b], 255);
    }
  }
  return png;
}

/** 32×32: the shield's outline and the key in pure white on a fully transparent background (no partial alpha). */
export function drawOutlineIcon(size = 32): PNG {
  const png = new PNG({ width: size, height: size });
  const outer = shield(0.5, 0.06, 0.38, 0.88);
  const inner = shield(0.5, 0.06 + 2.2 / size, 0.38 - 2.2 / size, 0.88 - 5 / size);
  const theKey = key(0.5, 0.24, 0.5);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      const on = (outer(x, y) && !inner(x, y)) || theKey(x, y);
      pixel(png, px, py, on ? WHITE : [0, 0, 0], on ? 255 : 0);
    }
  }
  return png;
}

export function writeIcons(dir: string): string[] {
  const files: Array<readonly [string, PNG]> = [
    ['color.png', drawColorIcon()],
    ['outline.png', drawOutlineIcon()],
  ];
  return files.map(([name, png]) => {
    const file = path.join(dir, name);
    writeFileSync(file, PNG.sync.write(png, { colorType: 6 }));
    return file;
  });
}

if (require.main === module) {
  for (const file of writeIcons(path.resolve(__dirname, '..', 'manifest'))) console.log(`wrote ${file}`);
}
