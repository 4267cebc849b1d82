import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config-variables';
import { ErrorCode } from '../../src/domain/errors';
import { Verb } from '../../src/views/verbs';

/**
 * Issue 16: the docs had drifted from the code in about ten places. Every file path, npm script, variable, card verb
 * and error code that README.md and docs/ name must exist; every relative link must reach a file (and its heading, when
 * it names one). A rename in the code without the docs fails here.
 */
const ROOT = join(__dirname, '..', '..');
const DOCS = [
  'README.md',
  'bench/README.md',
  'src/simulator/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Paths a doc may name that a build, a test run or an install makes (not in a clean clone). */
const MADE_LATER = [/^dist\//, /^node_modules\//, /^test-artifacts\//, /^manifest\/build\//, /^data\/?$/, /^\.env$/, /^bench\/results\.json$/];
/** Environment variables read by tools, not by the bot's configuration. */
const TOOL_VARIABLES = new Set(['NODE_ENV', 'CHROMIUM_PATH', 'CI']);

const packageScripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
const variables = new Set<string>(CONFIG_VARIABLES.map((v) => v.name));
const verbs = new Set<string>(Object.values(Verb));
const errorCodes = new Set<string>(Object.values(ErrorCode));

function sourceText(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) => {
      const path = join(dir, e.name);
      // The fixtures are Graph's metadata, and this folder holds the names the probe below makes up.
      if (e.isDirectory()) return e.name === 'fixtures' || path === join(ROOT, 'test', 'docs') ? '' : sourceText(path);
      return /\.(ts|cjs|mjs|sh)$/.test(e.name) ? readFileSync(path, 'utf8') : '';
    })
    .join('\n');
}
const code = ['src', 'test', 'scripts', 'bench', '.ci'].map((d) => sourceText(join(ROOT, d))).join('\n');

/** Backticked spans, outside fenced code blocks. */
function spans(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
}

function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}
function headings(file: string): Set<string> {
  return new Set([...readFileSync(file, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? '')));
}

interface Problem {
  readonly doc: string;
  readonly what: string;
}

/** The problems of `doc` (its text from disk unless given). */
function check(doc: string, text = readFileSync(join(ROOT, doc), 'utf8')): Problem[] {
  const problems: Problem[] = [];
  const bad = (what: string): void => void problems.push({ doc, what });

  for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^(https?:|mailto:)/.test(target)) continue;
    const [path = '', anchor] = target.split('#');
    const file = path === '' ? join(ROOT, doc) : join(ROOT, dirname(doc), path);
    if (!existsSync(file)) bad(`link to a missing file: ${target}`);
    else if (anchor && statSync(file).isFile() && file.endsWith('.md') && !headings(file).has(anchor)) bad(`link to a missing heading: ${target}`);
  }

  for (const span of spans(text)) {
    const npm = /^npm run ([\w:-]+)/.exec(span);
    if (npm?.[1] && !packageScripts.includes(npm[1])) bad(`npm script that does not exist: ${span}`);

    const path = span.replace(/:\d+$/, '').replace(/^\.\//, '');
    const looksLikePath = /^(src|test|docs|cards|scripts|bench|manifest|\.ci)\//.test(path) || /^[\w.-]+\.(ts|md|json|cjs|mjs|sh|yml)$/.test(path);
    if (looksLikePath && !/[<>…*{}\s]/.test(path) && !MADE_LATER.some((r) => r.test(path))) {
      const candidates = [join(ROOT, path), join(ROOT, dirname(doc), path)];
      if (!candidates.some((c) => existsSync(c))) bad(`path that does not exist: ${span}`);
    }

    for (const token of span.split(/[\s=,()]+/)) {
      if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(token) && !variables.has(token) && !TOOL_VARIABLES.has(token) && !new RegExp(`\\b${token}\\b`).test(code)) {
        bad(`variable or constant found nowhere in the code: ${token}`);
      }
      if (/^MicrosoftApp\w+$/.test(token) && !variables.has(token)) bad(`bot variable that is not in the configuration: ${token}`);
      if (/^case\.[a-zA-Z]+$/.test(token) && !verbs.has(token)) bad(`card verb that does not exist: ${token}`);
      if (/^[A-Z]+\.[A-Z_]+$/.test(token) && !errorCodes.has(token)) bad(`error code that does not exist: ${token}`);
    }
  }
  return problems;
}

describe('README.md and docs/ name only what exists', () => {
  it.each(DOCS)('%s', (doc) => {
    expect(check(doc)).toEqual([]);
  });

  it('finds a renamed file, script, variable, verb, error code and a broken link', () => {
    const probe = 'docs/status.md';
    const original = readFileSync(join(ROOT, probe), 'utf8');
    const broken = [
      '`src/app/approval.ts`',
      '`npm run bench:all`',
      '`APPROVAL_TIMEOUT_MINUTES`',
      '`case.approveAll`',
      '`APPROVAL.NOT_ALLOWED`',
      '[gone](missing.md)',
      '[gone](storage.md#no-such-heading)',
    ];
    const problems = check(probe, `${original}\n${broken.join('\n')}\n`);
    expect(problems.map((p) => p.what)).toEqual([
      'link to a missing file: missing.md',
      'link to a missing heading: storage.md#no-such-heading',
      'path that does not exist: src/app/approval.ts',
      'npm script that does not exist: npm run bench:all',
      'variable or constant found nowhere in the code: APPROVAL_TIMEOUT_MINUTES',
      'card verb that does not exist: case.approveAll',
      'error code that does not exist: APPROVAL.NOT_ALLOWED',
    ]);
  });
});
