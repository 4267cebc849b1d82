/**
 * The compiled build (`npm run build`: tsc -p tsconfig.build.json -> dist/index.js) that production runs with plain
 * `node`, never tsx. The launcher (src/start-demo.ts) uses this to tell whether dist/ is missing or older than what it
 * is compiled from.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type BuildState = 'missing' | 'stale' | 'fresh';

/** dist/index.js under the project root, as tsconfig.build.json writes it (rootDir src, outDir dist). */
export function compiledEntry(root: string): string {
  return join(root, 'dist', 'index.js');
}

/** Newest modification time (ms) of the build's inputs: every file under src/, tsconfig.json, tsconfig.build.json. */
function newestInput(root: string): number {
  let newest = 0;
  const visit = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  visit(join(root, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) {
    if (existsSync(join(root, file))) visit(join(root, file));
  }
  return newest;
}

/** `missing` without dist/index.js; `stale` when a build input changed after it was written; else `fresh`. */
export function compiledBuildState(root: string): BuildState {
  const entry = compiledEntry(root);
  if (!existsSync(entry)) return 'missing';
  return newestInput(root) > statSync(entry).mtimeMs ? 'stale' : 'fresh';
}
