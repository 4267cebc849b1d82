/**
 * Builds the Teams app package: render manifest/manifest.json, validate it and the icons offline, then zip
 * manifest.json, color.png and outline.png at the zip root. Nothing is written unless every check passes.
 *
 * Uses devDependencies (jszip, @microsoft/app-manifest): for scripts/build-manifest.ts and tests only.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { renderManifest } from './render-manifest';
import type { JsonObject, ManifestValues } from './render-manifest';
import { checkIcons, COLOR_ICON, OUTLINE_ICON, validateManifest } from './validate-manifest';

/** The template and icons checked into the repository. */
export const MANIFEST_SOURCE_DIR = path.resolve(__dirname, '..', '..', 'manifest');
export const PACKAGE_FILE_NAME = 'entra-recovery-bot.zip';
/** Fixed entry timestamps, so the same inputs always give the same zip bytes. */
const ZIP_ENTRY_DATE = new Date(Date.UTC(2020, 0, 1));

export interface BuiltPackage {
  readonly zipPath: string;
  readonly manifest: JsonObject;
}

/** The package could not be built; `problems` lists every reason found, one per line of the message. */
export class ManifestBuildError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The Teams app package was not built:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestBuildError';
  }
}

/**
 * Renders, validates and zips the app package into `outDir`/entra-recovery-bot.zip.
 * @param sourceDir folder holding manifest.json (the template), color.png and outline.png.
 * @throws ManifestBuildError when a value, the rendered manifest or an icon is wrong.
 */
export async function buildManifestZip(values: ManifestValues, outDir: string, sourceDir: string = MANIFEST_SOURCE_DIR): Promise<BuiltPackage> {
  let manifest: JsonObject;
  try {
    manifest = renderManifest(readFileSync(path.join(sourceDir, 'manifest.json'), 'utf8'), values);
  } catch (error) {
    throw new ManifestBuildError([error instanceof Error ? error.message : String(error)]);
  }

  const schemaErrors = (await validateManifest(manifest)).map((e) => `manifest.json: ${e.trim()}`);
  const problems = [...schemaErrors, ...checkIcons(sourceDir)];
  if (problems.length > 0) throw new ManifestBuildError(problems);

  const zip = new JSZip();
  const entry = { date: ZIP_ENTRY_DATE, createFolders: false };
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, entry);
  for (const icon of [COLOR_ICON.file, OUTLINE_ICON.file]) {
    zip.file(icon, readFileSync(path.join(sourceDir, icon)), entry);
  }
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });

  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, PACKAGE_FILE_NAME);
  writeFileSync(zipPath, bytes);
  return { zipPath, manifest };
}
