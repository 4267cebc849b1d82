import { GUIDANCE_URL, type ReadinessReport } from '../domain/readiness';
import { count } from '../domain/readiness-checks';
import { formatUtc } from './format';
import { statusLabel } from './readiness-view';

/** Names listed per check; the count always covers everyone. Teams messages are ~100 KB at most. */
export const EXPORT_ITEMS_PER_CHECK = 500;

/** Keeps names from breaking the Markdown around them (code spans, tables). */
const code = (text: string): string => `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
const cell = (text: string): string => text.replace(/\|/g, '/').replace(/\r?\n/g, ' ');

/** The report as Markdown, with the names behind each count (up to EXPORT_ITEMS_PER_CHECK per check). */
export function readinessMarkdown(report: ReadinessReport): string {
  const lines = [
    '# Recovery readiness',
    '',
    `Read ${formatUtc(report.readAt)}. Checks follow the [guidance's preparation and prevention](${GUIDANCE_URL}).`,
    '',
    '| Status | Check | Result |',
    '|---|---|---|',
    ...report.checks.map((c) => `| ${statusLabel(c.status)} | ${cell(c.title)} | ${cell(c.summary)} |`),
  ];
  for (const c of report.checks) {
    lines.push(
      '',
      `## ${statusLabel(c.status)}: ${c.title}`,
      '',
      c.summary,
      '',
      `- Recommendation: ${c.recommendation} ([guidance](${GUIDANCE_URL}))`,
      `- Fix: [${c.fix.text}](${c.fix.url})`,
    );
    if (c.items.length === 0) continue;
    lines.push('');
    for (const item of c.items.slice(0, EXPORT_ITEMS_PER_CHECK)) lines.push(`- ${code(item)}`);
    const more = c.items.length - EXPORT_ITEMS_PER_CHECK;
    if (more > 0) lines.push(`- … and ${count(more)} more, not listed here`);
  }
  return `${lines.join('\n')}\n`;
}

/** Splits Markdown into messages of at most `max` characters, at line ends (a single longer line is cut). */
export function splitMessages(markdown: string, max: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const line of markdown.split('\n')) {
    const piece = line.length > max ? `${line.slice(0, max - 1)}…` : line;
    if (current.length + piece.length + 1 > max && current.length > 0) {
      parts.push(current);
      current = '';
    }
    current += `${piece}\n`;
  }
  if (current.trim().length > 0) parts.push(current);
  return parts;
}
