import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { drawColorIcon, drawOutlineIcon } from '../../scripts/make-icons';
import { readBuildEnv } from '../../scripts/build-manifest';
import { buildManifestZip, MANIFEST_SOURCE_DIR, ManifestBuildError, PACKAGE_FILE_NAME } from '../../src/manifest/build-manifest-zip';
import { renderManifest } from '../../src/manifest/render-manifest';
import type { JsonObject } from '../../src/manifest/render-manifest';
import { checkIcons, validateManifest } from '../../src/manifest/validate-manifest';

// strip-bom 5 is ESM-only: Node requires it, jest's CommonJS runtime cannot. @microsoft/app-manifest uses it only
// when it reads manifests from disk, which validateManifest never does, so a stand-in is enough here.
jest.mock('strip-bom', () => ({ __esModule: true, default: (text: string) => text.replace(/^\uFEFF/, '') }));

const BOT_ID = '6b3f1d2e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const template = readFileSync(path.join(MANIFEST_SOURCE_DIR, 'manifest.json'), 'utf8');
const render = (overrides: Partial<Parameters<typeof renderManifest>[1]> = {}): JsonObject =>
  renderManifest(template, { botId: BOT_ID, appVersion: '1.2.3', botDomain: 'bot.contoso.example', ...overrides });

/** The rendered manifest as the test reads it; the schema validation tests are what prove the shape. */
interface BotManifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  version: string;
  accentColor: string;
  validDomains: string[];
  webApplicationInfo?: unknown;
  bots: Array<{
    botId: string;
    scopes: string[];
    isNotificationOnly: boolean;
    supportsFiles: boolean;
    commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
  }>;
}
const asBot = (m: JsonObject): BotManifest => m as unknown as BotManifest;

let tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'manifest-test-'));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

describe('manifest template', () => {
  it('uses a Teams schema bundled by @microsoft/app-manifest, so validation is offline', () => {
    const m = asBot(render());
    expect(m.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json');
    expect(m.manifestVersion).toBe('1.19');
  });

  it('renders to a manifest that validates against the schema', async () => {
    await expect(validateManifest(render())).resolves.toEqual([]);
    await expect(validateManifest(render({ botDomain: undefined }))).resolves.toEqual([]);
  });

  it('is rejected by the validator when broken: an extra property, a missing accentColor', async () => {
    const extra = { ...render(), surprise: true };
    const extraErrors = await validateManifest(extra);
    expect(extraErrors.join('\n')).toMatch(/additional properties/i);
    expect(extraErrors.join('\n')).toContain('surprise');

    const noAccent = render();
    delete noAccent['accentColor'];
    const missingErrors = await validateManifest(noAccent);
    expect(missingErrors.join('\n')).toContain('accentColor');
  });

  it('refuses to validate a manifest whose $schema would need the network', async () => {
    const elsewhere = { ...render(), $schema: 'https://example.com/teams.schema.json' };
    await expect(validateManifest(elsewhere)).resolves.toEqual([expect.stringMatching(/offline/)]);
    const notBundled = { ...render(), $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.18/MicrosoftTeams.schema.json' };
    await expect(validateManifest(notBundled)).resolves.toEqual([expect.stringMatching(/not bundled/)]);
  });

  it('replaces every placeholder', () => {
    const m = asBot(render());
    expect(JSON.stringify(m)).not.toContain('${{');
    expect(m.id).toBe(BOT_ID);
    expect(m.bots[0]!.botId).toBe(BOT_ID);
    expect(m.version).toBe('1.2.3');
    expect(m.validDomains).toEqual(['bot.contoso.example']);
  });

  it('leaves validDomains empty when there is no bot domain', () => {
    expect(asBot(render({ botDomain: undefined })).validDomains).toEqual([]);
    expect(asBot(render({ botDomain: '' })).validDomains).toEqual([]);
  });

  it('declares a conversational bot in team, personal and group chat, without SSO', () => {
    const m = asBot(render());
    expect(m.bots).toHaveLength(1);
    const bot = m.bots[0]!;
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.isNotificationOnly).toBe(false);
    expect(bot.supportsFiles).toBe(false);
    expect(m.webApplicationInfo).toBeUndefined();
    expect(m.accentColor).toMatch(/^#[0-9A-F]{6}$/i);
  });

  it('lists recover, help, status, export, verify and readiness for each scope', () => {
    const bot = asBot(render()).bots[0]!;
    expect(bot.commandLists.flatMap((l) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of bot.commandLists) {
      expect(list.commands.map((c) => c.title).sort()).toEqual(['export', 'help', 'readiness', 'recover', 'status', 'verify']);
    }
    const recover = bot.commandLists[0]!.commands.find((c) => c.title === 'recover');
    expect(recover?.description).toContain('<UPN or object id>');
  });
});

describe('renderManifest', () => {
  it.each(['', 'not-a-guid', '6b3f1d2e4a5b4c6d8e7f9a0b1c2d3e4f', `${BOT_ID}x`])('rejects botId %p, naming the field', (botId) => {
    expect(() => render({ botId })).toThrow(/botId .*not a GUID.*MicrosoftAppId/);
  });

  it.each(['', '1', '1.0', '1.0.0-beta', 'v1.0.0', '01.0.0', '1.0.0.0'])('rejects appVersion %p, naming the field', (appVersion) => {
    expect(() => render({ appVersion })).toThrow(/appVersion/);
  });

  it.each(['https://bot.contoso.example', 'bot.contoso.example/api', 'bot contoso'])('rejects botDomain %p', (botDomain) => {
    expect(() => render({ botDomain })).toThrow(/botDomain/);
  });

  it('refuses a placeholder it has no value for', () => {
    const withUnknown = template.replace('"accentColor": "#1F5AA6"', '"accentColor": "${{ACCENT}}"');
    expect(() => renderManifest(withUnknown, { botId: BOT_ID, appVersion: '1.0.0' })).toThrow(/\$\{\{ACCENT\}\}/);
  });

  it('keeps the JSON structure whatever the values contain', () => {
    // Substitution happens in parsed strings: a quote in a template value cannot escape its string.
    const tricky = JSON.stringify({ name: '${{APP_VERSION}}"', id: '${{BOT_ID}}' });
    expect(renderManifest(tricky, { botId: BOT_ID, appVersion: '2.0.0' })).toEqual({ name: '2.0.0"', id: BOT_ID });
  });
});

describe('icons', () => {
  it('are the right size and the outline is white on transparent', () => {
    expect(checkIcons(MANIFEST_SOURCE_DIR)).toEqual([]);
    const color = PNG.sync.read(readFileSync(path.join(MANIFEST_SOURCE_DIR, 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = PNG.sync.read(readFileSync(path.join(MANIFEST_SOURCE_DIR, 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const alphas = new Set<number>();
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
      alphas.add(a!);
      if (a !== 0) expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect([...alphas].sort((x, y) => x - y)).toEqual([0, 255]);
    // The corners are background.
    expect(outline.data[3]).toBe(0);
  });

  it('are what scripts/make-icons.ts draws (regenerate with `npx tsx scripts/make-icons.ts`)', () => {
    const committedColor = PNG.sync.read(readFileSync(path.join(MANIFEST_SOURCE_DIR, 'color.png')));
    const committedOutline = PNG.sync.read(readFileSync(path.join(MANIFEST_SOURCE_DIR, 'outline.png')));
    expect(drawColorIcon().data.equals(committedColor.data)).toBe(true);
    expect(drawOutlineIcon().data.equals(committedOutline.data)).toBe(true);
  });

  it('checkIcons reports a wrongly sized colour icon and a missing outline', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'color.png'), PNG.sync.write(new PNG({ width: 100, height: 80 })));
    const problems = checkIcons(dir);
    expect(problems).toEqual([expect.stringMatching(/color\.png: must be exactly 192×192 pixels, is 100×80/), expect.stringMatching(/outline\.png: missing/)]);
  });

  it('checkIcons reports an outline with coloured or opaque pixels, and a file that is not a PNG', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'color.png'), 'not a png');
    const outline = drawOutlineIcon(32);
    outline.data.fill(255); // opaque white everywhere: no transparent background
    outline.data.set([200, 30, 30, 255], (5 * 32 + 7) * 4); // one red pixel at (7, 5)
    writeFileSync(path.join(dir, 'outline.png'), PNG.sync.write(outline));
    const problems = checkIcons(dir);
    expect(problems).toEqual([
      expect.stringMatching(/color\.png: not a readable PNG/),
      expect.stringMatching(/outline\.png: every pixel .* 1 are not, first \(7, 5\)/),
      expect.stringMatching(/outline\.png: has no transparent pixels/),
    ]);
  });

  it('checkIcons reports a wrongly sized outline', () => {
    const dir = tempDir();
    copyFileSync(path.join(MANIFEST_SOURCE_DIR, 'color.png'), path.join(dir, 'color.png'));
    writeFileSync(path.join(dir, 'outline.png'), PNG.sync.write(drawOutlineIcon(48)));
    expect(checkIcons(dir)).toEqual([expect.stringMatching(/outline\.png: must be exactly 32×32 pixels, is 48×48/)]);
  });
});

describe('buildManifestZip', () => {
  it('writes a zip holding exactly manifest.json, color.png and outline.png at the root', async () => {
    const outDir = tempDir();
    const built = await buildManifestZip({ botId: BOT_ID, appVersion: '1.0.0' }, outDir);
    expect(built.zipPath).toBe(path.join(outDir, PACKAGE_FILE_NAME));

    const zip = await JSZip.loadAsync(readFileSync(built.zipPath));
    const files = Object.values(zip.files)
      .filter((f) => !f.dir)
      .map((f) => f.name)
      .sort();
    expect(files).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const packaged = JSON.parse(await zip.file('manifest.json')!.async('string')) as JsonObject;
    expect(packaged).toEqual(built.manifest);
    expect(asBot(packaged).id).toBe(BOT_ID);
    await expect(validateManifest(packaged)).resolves.toEqual([]);
    const color = await zip.file('color.png')!.async('nodebuffer');
    expect(color.equals(readFileSync(path.join(MANIFEST_SOURCE_DIR, 'color.png')))).toBe(true);
  });

  it('is reproducible: the same values give the same bytes', async () => {
    const a = await buildManifestZip({ botId: BOT_ID, appVersion: '1.0.0' }, tempDir());
    const b = await buildManifestZip({ botId: BOT_ID, appVersion: '1.0.0' }, tempDir());
    expect(readFileSync(a.zipPath).equals(readFileSync(b.zipPath))).toBe(true);
  });

  it('writes nothing and names MicrosoftAppId when the bot id is invalid', async () => {
    const outDir = tempDir();
    const attempt = buildManifestZip({ botId: 'bot', appVersion: '1.0.0' }, outDir);
    await expect(attempt).rejects.toBeInstanceOf(ManifestBuildError);
    await expect(attempt).rejects.toThrow(/MicrosoftAppId/);
    expect(() => readFileSync(path.join(outDir, PACKAGE_FILE_NAME))).toThrow();
  });

  it('lists schema and icon problems together', async () => {
    const sourceDir = tempDir();
    writeFileSync(path.join(sourceDir, 'manifest.json'), template.replace('"accentColor": "#1F5AA6",', ''));
    copyFileSync(path.join(MANIFEST_SOURCE_DIR, 'color.png'), path.join(sourceDir, 'color.png'));
    const attempt = buildManifestZip({ botId: BOT_ID, appVersion: '1.0.0' }, tempDir(), sourceDir);
    await expect(attempt).rejects.toThrow(/manifest\.json: .*accentColor[\s\S]*outline\.png: missing/);
  });
});

describe('readBuildEnv', () => {
  it('reads .env when present and lets the environment win', () => {
    const dir = tempDir();
    const envFile = path.join(dir, '.env');
    writeFileSync(envFile, `MicrosoftAppId=${BOT_ID}\nAPP_VERSION=2.0.0\n`);
    expect(readBuildEnv({ APP_VERSION: '3.0.0' }, envFile)).toEqual({ MicrosoftAppId: BOT_ID, APP_VERSION: '3.0.0' });
    expect(readBuildEnv({ APP_VERSION: '3.0.0' }, path.join(dir, 'missing.env'))).toEqual({ APP_VERSION: '3.0.0' });
  });
});
