/**
 * Checks a rendered Teams manifest and its icons before they are zipped, offline.
 *
 * Uses @microsoft/app-manifest (a devDependency): import this only from scripts and tests, never from the bot.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import type { AppManifest } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';

export const COLOR_ICON = { file: 'color.png', size: 192 } as const;
export const OUTLINE_ICON = { file: 'outline.png', size: 32 } as const;

const TEAMS_SCHEMA_PREFIX = 'https://developer.microsoft.com/json-schemas/teams/';
/** An outline pixel counts as white when each of R, G and B is at least this. */
const WHITE_ISH = 240;

/**
 * Validates `manifest` against the Teams JSON schema its `$schema` names, using the copy bundled in
 * @microsoft/app-manifest. Returns one string per schema error; [] when valid.
 *
 * It refuses (returns an error) rather than fetch a schema over the network: a `$schema` outside
 * developer.microsoft.com/json-schemas/teams, or a version the package does not bundle (there is no v1.18).
 */
export async function validateManifest(manifest: object): Promise<string[]> {
  const schemaUrl = '$schema' in manifest ? manifest.$schema : undefined;
  if (typeof schemaUrl !== 'string' || !schemaUrl.startsWith(TEAMS_SCHEMA_PREFIX)) {
    return [`$schema must be a ${TEAMS_SCHEMA_PREFIX}v1.xx/MicrosoftTeams.schema.json URL so the manifest can be validated offline.`];
  }
  if (!existsSync(bundledSchemaPath(schemaUrl))) {
    return [`$schema ${schemaUrl} is not bundled by @microsoft/app-manifest; pick a schema version it bundles (v1.19 or later).`];
  }
  // The schema, not this cast, is what checks the shape.
  return AppManifestUtils.validateAgainstSchema(manifest as AppManifest);
}

/** Where @microsoft/app-manifest keeps its copy of a developer.microsoft.com schema (build/json-schemas/...). */
function bundledSchemaPath(schemaUrl: string): string {
  const packageBuildDir = path.dirname(require.resolve('@microsoft/app-manifest'));
  return path.join(packageBuildDir, new URL(schemaUrl).pathname);
}

/**
 * Checks the icons Teams requires in `dir`: `color.png` exactly 192×192, and `outline.png` exactly 32×32 with
 * every pixel either fully transparent or white. Returns the problems found; [] when both are fine.
 */
export function checkIcons(dir: string): string[] {
  const problems: string[] = [];

  const color = readPng(dir, COLOR_ICON.file, problems);
  if (color) problems.push(...checkSize(COLOR_ICON.file, color, COLOR_ICON.size));

  const outline = readPng(dir, OUTLINE_ICON.file, problems);
  if (outline) {
    problems.push(...checkSize(OUTLINE_ICON.file, outline, OUTLINE_ICON.size));
    problems.push(...checkOutlinePixels(outline));
  }
  return problems;
}

function readPng(dir: string, file: string, problems: string[]): PNG | undefined {
  const filePath = path.join(dir, file);
  if (!existsSync(filePath)) {
    problems.push(`${file}: missing from ${dir} (run \`npx tsx scripts/make-icons.ts\`).`);
    return undefined;
  }
  try {
    // pngjs decodes every colour type to 8-bit RGBA in `data`.
    return PNG.sync.read(readFileSync(filePath));
  } catch (error) {
    problems.push(`${file}: not a readable PNG (${error instanceof Error ? error.message : String(error)}).`);
    return undefined;
  }
}

function checkSize(file: string, png: PNG, size: number): string[] {
  if (png.width === size && png.height === size) return [];
  return [`${file}: must be exactly ${size}×${size} pixels, is ${png.width}×${png.height}.`];
}

function checkOutlinePixels(png: PNG): string[] {
  let offending = 0;
  let first: string | undefined;
  let visible = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const [r = 0, g = 0, b = 0, a = 0] = png.data.subarray(i, i + 4);
      if (a === 0) continue;
      visible++;
      if (r < WHITE_ISH || g < WHITE_ISH || b < WHITE_ISH) {
        offending++;
        first ??= `(${x}, ${y}) is rgba(${r}, ${g}, ${b}, ${a})`;
      }
    }
  }
  const problems: string[] = [];
  if (offending > 0) {
    problems.push(`${OUTLINE_ICON.file}: every pixel must be fully transparent or white; ${offending} are not, first ${first ?? ''}.`);
  }
  if (visible === 0) problems.push(`${OUTLINE_ICON.file}: is fully transparent; it must draw the icon in white.`);
  if (visible === png.width * png.height) problems.push(`${OUTLINE_ICON.file}: has no transparent pixels; its background must be transparent.`);
  return problems;
}
