import { Verb } from '../../src/views/verbs';
import { FALLBACK, type AttackWorld } from './attack-world';
import type { StateName } from './card-attack-rows';

/**
 * Legitimate clicks sent more than once (a double click on one instance, the same click reaching both instances, a
 * burst on both), and `recover` payloads an attacker types: the rows of the attacker's suite that are not a single
 * refused click.
 */

export interface Duplicate {
  readonly name: string;
  readonly state: StateName;
  readonly verb: string;
  /** Which instance each click reaches; all are sent at once. */
  readonly instances: readonly ('A' | 'B')[];
  /** The journal lines the clicker's one effect adds (each other click adds a refusal, or nothing when answered the same). */
  readonly effect: readonly (string | RegExp)[];
  /** Journal lines, by anyone, that must appear exactly once (one run). */
  readonly once?: readonly string[];
  /** The answers show a secret: one value, the same for every click that shows it. */
  readonly reveals?: boolean;
  /** What the tenant must show afterwards: exactly one write. */
  readonly tenant?: (world: AttackWorld, targetId: string, since: string) => Promise<void>;
}

const count = async (world: AttackWorld, targetId: string, since: string, activity: string, methodType?: string): Promise<number> =>
  (await world.auditsAbout(targetId, since)).filter(
    (a) => a.activityDisplayName === activity && (!methodType || JSON.stringify(a.additionalDetails ?? []).includes(`"value":"${methodType}"`)),
  ).length;

const onePasswordSet = async (world: AttackWorld, id: string, since: string): Promise<void> => {
  expect(await count(world, id, since, 'Reset password')).toBe(1);
};
const oneTap = async (world: AttackWorld, id: string, since: string): Promise<void> => {
  const methods = await world.all(`/users/${id}/authentication/methods`);
  expect(methods.filter((m) => m['@odata.type'] === '#microsoft.graph.temporaryAccessPassAuthenticationMethod')).toHaveLength(1);
  expect(await count(world, id, since, 'Admin registered security info', 'temporaryAccessPass')).toBe(1);
};
/** One run: each method deleted once (two runs would delete, or try to delete, each twice). */
const oneRun = async (world: AttackWorld, id: string, since: string): Promise<void> => {
  const deletions = (await world.auditsAbout(id, since)).filter((a) => a.activityDisplayName === 'Admin deleted security info');
  const methodIds = deletions.map((a) => JSON.stringify(a.additionalDetails));
  expect(new Set(methodIds).size).toBe(methodIds.length);
  expect(deletions.length).toBeGreaterThan(0);
};

const IDENTITY_STEP_DONE = 'Step done: Record how the caller\u2019s identity was verified (required before any password or TAP is revealed)';

const PAIRS: readonly Omit<Duplicate, 'name' | 'instances'>[] = [
  { state: 'triaged', verb: Verb.confirmScenario, effect: ['Scenario confirmed: malicious'] },
  // The attack suite's triaged case has nothing changed in its audit window: the reason closes it, once.
  { state: 'triaged', verb: Verb.closeNoRecovery, effect: ['Closed: no recovery needed'] },
  { state: 'planned', verb: Verb.requestApproval, effect: ['Approval requested'] },
  { state: 'planned', verb: Verb.cancel, effect: ['Cancelled'] },
  { state: 'awaiting', verb: Verb.approve, effect: ['Approved'], once: ['Execution started'], tenant: oneRun },
  { state: 'awaiting', verb: Verb.deny, effect: ['Denied'] },
  { state: 'awaitingPrivileged', verb: Verb.approve, effect: ['Approved'] },
  { state: 'identity', verb: Verb.requestFallback, effect: [`Fallback approval asked: ${FALLBACK.method}`] },
  // One acceptance completes the step once; every other click of the approver is refused (the fallback is decided).
  {
    state: 'fallback',
    verb: Verb.approveFallback,
    effect: [`Identity accepted without Verified ID (fallback): ${FALLBACK.method}`, IDENTITY_STEP_DONE],
    once: [`Identity accepted without Verified ID (fallback): ${FALLBACK.method}`, IDENTITY_STEP_DONE],
  },
  {
    state: 'password',
    verb: Verb.revealPassword,
    effect: ['Step done: Set a new password (generated, change forced at next sign-in), revealed only to the requesting agent'],
    reveals: true,
    tenant: onePasswordSet,
  },
  {
    state: 'tap',
    verb: Verb.revealTap,
    effect: ['Step done: Issue a Temporary Access Pass for re-registration, revealed only to the requesting agent'],
    reveals: true,
    tenant: oneTap,
  },
  { state: 'summary', verb: Verb.close, effect: ['Case closed with the summary'] },
  { state: 'restore', verb: Verb.confirmGuided, effect: [/^Step done: Restore \S+@contoso\.com to before .*Backup Administrator/] },
  { state: 'optionalIdentity', verb: Verb.skipStep, effect: [/^Step done: Record how the caller\u2019s identity was verified .*skip if neither is needed/] },
  // Graph still refuses the revocation: the retry runs once and fails again.
  {
    state: 'failed',
    verb: Verb.retryStep,
    effect: ['Step retried: Revoke all sign-in sessions and refresh tokens'],
    once: ['Step failed: Revoke all sign-in sessions and refresh tokens'],
  },
];

const VARIANTS: readonly { name: string; instances: readonly ('A' | 'B')[] }[] = [
  { name: 'double click on one instance', instances: ['A', 'A'] },
  { name: 'the same click reaching both instances', instances: ['A', 'B'] },
  { name: 'a burst of 16 clicks on both instances', instances: Array.from({ length: 16 }, (_, i) => (i % 2 ? 'B' : 'A')) },
];

export const DUPLICATES: readonly Duplicate[] = PAIRS.flatMap((p) => VARIANTS.map((v) => ({ ...p, ...v, name: `${p.verb} on a case ${p.state}: ${v.name}` })));

/** What an attacker types after `recover`: none names a user of the tenant the way the bot accepts. */
export const INJECTIONS: readonly { name: string; text: string }[] = [
  { name: 'OData quote injection widening a filter', text: "x' or userPrincipalName eq 'megan@contoso.com" },
  { name: 'OData quote injection, always true', text: "lee@contoso.com' or '1' eq '1" },
  { name: 'OData function injection', text: "') or startswith(userPrincipalName,'" },
  { name: 'OData quote injection after a real UPN', text: "megan@contoso.com' or accountEnabled eq true or 'a' eq 'b" },
  { name: 'path traversal to another user', text: '../../users/megan@contoso.com' },
  { name: 'encoded path traversal', text: '..%2F..%2Fusers%2Fmegan@contoso.com' },
  { name: 'path traversal after a UPN', text: 'megan@contoso.com/../../directoryRoles' },
  { name: 'a $batch path', text: '$batch' },
  { name: 'a versioned $batch path', text: '/v1.0/$batch' },
  { name: 'a query string riding on a UPN', text: 'megan@contoso.com?$select=*' },
  { name: 'a second query option riding on a UPN', text: 'megan@contoso.com&$filter=true' },
  { name: 'a fragment riding on a UPN', text: 'megan@contoso.com#/users' },
  { name: 'very long input (5 000 characters)', text: `${'a'.repeat(5_000)}@contoso.com` },
  { name: 'a 300-character UPN', text: `${'b'.repeat(288)}@contoso.com` },
  // Teams sends formatted text as HTML and the bot reads the text inside the tags: bold around a real UPN is that UPN.
  { name: 'HTML with an event handler', text: '<b onmouseover="alert(1)">nobody</b>@contoso.com' },
  { name: 'HTML script', text: '<script>fetch("https://evil.example")</script>' },
  { name: 'markdown link', text: '[lee@contoso.com](https://evil.example/phish)' },
  { name: 'Adaptive Card JSON', text: '{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"Approved"}]}' },
  { name: 'a NUL character', text: 'lee\u0000@contoso.com' },
  { name: 'a line break', text: 'lee\r\n@contoso.com' },
  { name: 'a right-to-left override', text: 'lee\u202e@contoso.com' },
  { name: 'a zero-width space', text: 'l\u200bee@contoso.com' },
  { name: 'homoglyph: a Cyrillic e', text: 'l\u0435e@contoso.com' },
  { name: 'homoglyph: a Cyrillic a in the requester\u2019s name', text: 'meg\u0430n@contoso.com' },
  { name: 'homoglyph: a Cyrillic o in the domain', text: 'lee@c\u043entoso.com' },
  { name: 'fullwidth letters', text: '\uff4c\uff45\uff45@contoso.com' },
];
