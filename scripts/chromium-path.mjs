// Prints, as one line of JSON, the Chromium the browser test drives: {executablePath, args, fontconfigFile, version}.
//
// The browser is @sparticuz/chromium, a devDependency: its npm tarball ships a headless Chromium (brotli-compressed)
// with Open Sans and SwiftShader, so `npm install` brings the browser and nothing is downloaded at install or run time.
// (@playwright/browser-chromium and `playwright install` download a browser from a CDN at install time; this
// workplace allows the npm registry only.)
//
// Why a separate process: the package is ESM only, and jest (ts-jest, CommonJS) cannot import ESM. The test helper
// (test/e2e/playground-session.ts) runs this file with `node` and reads its output.
//
// Why the private directory: executablePath() inflates into os.tmpdir() and returns whatever file is already at
// <tmpdir>/chromium, even a half-written one from a concurrent extraction or another version. This script points
// TMPDIR at a fresh directory of its own (node_modules/.cache/chromium/<version>.tmp-<pid>), inflates there, and
// renames the directory to node_modules/.cache/chromium/<version> in one step. A reader only ever sees a complete
// directory; when another process renamed first, its directory is used and this one deleted. A new version of the
// package gets a new directory, so it is inflated again.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(projectRoot, 'node_modules', '@sparticuz', 'chromium');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const cacheRoot = join(projectRoot, 'node_modules', '.cache', 'chromium');
const finalDir = join(cacheRoot, version);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Removes what earlier runs left: other versions' directories, and unfinished directories of dead processes. */
function removeLeftovers() {
  for (const name of readdirSync(cacheRoot)) {
    const unfinished = /\.tmp-(\d+)$/.exec(name);
    if (unfinished ? !alive(Number(unfinished[1])) : name !== version) rmSync(join(cacheRoot, name), { recursive: true, force: true });
  }
}

/** The package's fonts.conf names /tmp/fonts; this one names the inflated Open Sans, and the system's fonts if any. */
function writeFontconfig(dir) {
  const file = join(dir, 'fonts.conf');
  writeFileSync(
    file,
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
      `  <dir>${join(dir, 'fonts')}</dir>`,
      `  <cachedir>${join(dir, 'fonts-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  return file;
}

async function inflateOnce() {
  if (existsSync(join(finalDir, 'chromium'))) return;
  const privateDir = `${finalDir}.tmp-${process.pid}`;
  rmSync(privateDir, { recursive: true, force: true });
  mkdirSync(privateDir);
  try {
    // os.tmpdir() reads TMPDIR on every call, the package's module code included: set it before the import.
    process.env.TMPDIR = privateDir;
    const { default: chromium } = await import('@sparticuz/chromium');
    const inflated = await chromium.executablePath();
    if (inflated !== join(privateDir, 'chromium')) throw new Error(`@sparticuz/chromium inflated to ${inflated}, expected ${join(privateDir, 'chromium')}`);
    writeFontconfig(privateDir);
    try {
      renameSync(privateDir, finalDir);
    } catch (error) {
      // Another process finished first: its directory is complete, use it.
      if (!['EEXIST', 'ENOTEMPTY'].includes(error.code) || !existsSync(join(finalDir, 'chromium'))) throw error;
    }
  } finally {
    rmSync(privateDir, { recursive: true, force: true });
  }
}

mkdirSync(cacheRoot, { recursive: true });
removeLeftovers();
await inflateOnce();
// The flags the package recommends (static); importing again is cheap and inflates nothing.
process.env.TMPDIR = finalDir;
const { default: chromium } = await import('@sparticuz/chromium');
process.stdout.write(
  `${JSON.stringify({ version, executablePath: join(finalDir, 'chromium'), args: chromium.args, fontconfigFile: join(finalDir, 'fonts.conf') })}\n`,
);
