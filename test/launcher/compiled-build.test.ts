import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledBuildState, compiledEntry } from '../../src/launcher/compiled-build';

/** Whether `npm start` with production credentials must build dist/ first. File times are set, never waited for. */
describe('compiledBuildState (src/launcher/compiled-build.ts)', () => {
  let root: string;
  const at = (path: string, seconds: number): void => utimesSync(path, seconds, seconds);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'entra-recovery-build-'));
    mkdirSync(join(root, 'src', 'app'), { recursive: true });
    writeFileSync(join(root, 'src', 'index.ts'), '');
    writeFileSync(join(root, 'src', 'app', 'open-case.ts'), '');
    writeFileSync(join(root, 'tsconfig.json'), '{}');
    for (const file of ['src/index.ts', 'src/app/open-case.ts', 'tsconfig.json']) at(join(root, file), 1_000);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const build = (seconds: number): void => {
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(compiledEntry(root), '');
    at(compiledEntry(root), seconds);
  };

  it('is missing without dist/index.js', () => {
    expect(compiledBuildState(root)).toBe('missing');
  });

  it('is fresh when dist/index.js is newer than every input', () => {
    build(2_000);
    expect(compiledBuildState(root)).toBe('fresh');
  });

  it('is stale when a source file in a subfolder changed after the build', () => {
    build(2_000);
    at(join(root, 'src', 'app', 'open-case.ts'), 3_000);
    expect(compiledBuildState(root)).toBe('stale');
  });

  it('is stale when tsconfig.build.json changed after the build', () => {
    build(2_000);
    writeFileSync(join(root, 'tsconfig.build.json'), '{}');
    at(join(root, 'tsconfig.build.json'), 3_000);
    expect(compiledBuildState(root)).toBe('stale');
  });
});
