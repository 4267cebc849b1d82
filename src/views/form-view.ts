import type { RecoveryCase } from '../domain/case';
import { describeState, nextStep } from '../domain/workflow';
import { FREE_TEXT_CARD_CHARS, shorten } from './card-budget';
import { targetLine } from './case-text';
import { formatUtc } from './format';
import { nextStepActions } from './next-step-actions';
import type { OwnMessageView } from './reveal-view';

/**
 * A form message: the inputs of one decision, on a message of its own, apart from the card the bot edits as the case
 * runs. It is posted once when the form opens, never edited while it is open (so nothing the bot does can wipe what a
 * person is typing into it), and edited once, without inputs or buttons, when it closes, to say what happened.
 * - `identity`: the agent records the manual identity check, or asks for the fallback (a new one after each refusal).
 * - `fallback`: an approver accepts or refuses one fallback request.
 * - `close`: the requester closes the case with the lessons learned.
 */
export type FormKind = 'identity' | 'fallback' | 'close';

export interface FormSlot {
  readonly kind: FormKind;
  /** The identity step's id (identity and fallback forms). */
  readonly stepId?: string;
  /** Which fallback request: the number refused before it. A refusal opens a new identity form, the next round. */
  readonly round: number;
}

export const formSlotName = (f: FormSlot): `form:${string}` => (f.kind === 'close' ? 'form:close' : `form:${f.kind}:${f.stepId ?? ''}:${f.round}`);

const refusedCount = (c: RecoveryCase): number => c.verification?.refusedFallbacks?.length ?? 0;

/** The forms open now: at most one identity or fallback form (the next step's), and the close form while validating. */
export function openForms(c: RecoveryCase): FormSlot[] {
  if (c.state === 'validating') return [{ kind: 'close', round: 0 }];
  const next = nextStepActions(c);
  const step = nextStep(c);
  if (!next || !step || step.kind !== 'verifyIdentity' || c.identityVerification) return [];
  const round = refusedCount(c);
  if (next.actions.recordIdentity || next.actions.requestFallback) return [{ kind: 'identity', stepId: step.id, round }];
  if (next.actions.decideFallback) return [{ kind: 'fallback', stepId: step.id, round }];
  return [];
}

/** Every form message the case may have had: to find those to close once. */
export function possibleForms(c: RecoveryCase): FormSlot[] {
  const rounds = Array.from({ length: refusedCount(c) + 1 }, (_, i) => i);
  const identitySteps = (c.plan ?? []).filter((s) => s.kind === 'verifyIdentity');
  return [
    ...identitySteps.flatMap((s) => rounds.flatMap((round) => (['identity', 'fallback'] as const).map((kind) => ({ kind, stepId: s.id, round })))),
    ...(c.plan ? [{ kind: 'close' as const, round: 0 }] : []),
  ];
}

/** The form a click on `kind` came from, for the answer to that click: the open one, or the one the click just closed. */
export function formOfClick(c: RecoveryCase, kind: FormKind, stepId: string): FormSlot {
  const open = openForms(c).find((f) => f.kind === kind);
  if (open) return open;
  const round = refusedCount(c);
  // A refusal of the fallback moved the case to the next round; the form clicked was the one before it.
  const justRefused = kind === 'fallback' && c.identityVerification?.kind !== 'fallback' && round > 0;
  return { kind, stepId, round: justRefused ? round - 1 : round };
}

export interface FormView extends OwnMessageView {
  isIdentity: boolean;
  isFallback: boolean;
  isClose: boolean;
  /** Identity form: the malicious playbook asks one more approver (fallback); the accidental one records directly. */
  askFallback: boolean;
  identityMethods: { title: string; value: string }[];
  note: string;
}

function closedBy(c: RecoveryCase): string {
  const entry = [...c.journal].reverse().find((j) => j.event === 'Case closed with the summary');
  return entry ? `${entry.by}${c.closedAt ? ` at ${formatUtc(c.closedAt)}` : ''}` : 'the requester';
}

function identityText(c: RecoveryCase, f: FormSlot, open: boolean): string {
  const malicious = c.scenario?.value === 'malicious';
  if (open)
    return malicious
      ? `${c.requester.name}: no Verified ID possible? Record the manual check you did; one more approver, who has not decided on this case, must accept it. The summary flags it.`
      : `${c.requester.name}: record how you verified the caller\u2019s identity (who checked, when, what was checked).`;
  const refused = c.verification?.refusedFallbacks?.[f.round];
  if (refused)
    return `Asked for fallback approval by ${refused.by.name} ${formatUtc(refused.at)} (${refused.method}); an approver decided on its own message below.`;
  const pending = c.verification?.fallback;
  if (pending)
    return `Asked for fallback approval by ${pending.by.name} ${formatUtc(pending.at)} (${pending.method}); an approver decides on its own message below.`;
  const id = c.identityVerification;
  if (id)
    return id.kind === 'fallback'
      ? `Asked for fallback approval by ${id.by.name} (${id.method}); accepted by ${id.approvedBy?.name ?? 'an approver'} ${formatUtc(id.at)}.`
      : `Identity verified by ${id.by.name} ${formatUtc(id.at)}: ${id.method}.`;
  const run = f.stepId ? c.steps?.[f.stepId] : undefined;
  if (run?.status === 'done') return `Nothing recorded here: ${shorten(run.detail ?? 'the step is done', FREE_TEXT_CARD_CHARS)}.`;
  return `Nothing recorded here: case ${c.id} is ${describeState(c.state)}.`;
}

function fallbackText(c: RecoveryCase, f: FormSlot, open: boolean): string {
  const pending = c.verification?.fallback;
  if (open && pending)
    return `${pending.by.name} asks an approver to accept a manual identity check instead of Verified ID (${pending.method}): ${shorten(pending.note, FREE_TEXT_CARD_CHARS)}. An approver who has not decided on this case accepts or refuses it; a refusal needs a reason.`;
  const refused = c.verification?.refusedFallbacks?.[f.round];
  if (refused)
    return `Fallback (${refused.method}) refused by ${refused.refusedBy.name} ${formatUtc(refused.refusedAt)}: ${shorten(refused.reason, FREE_TEXT_CARD_CHARS)}`;
  const id = c.identityVerification;
  if (id?.kind === 'fallback') return `Fallback (${id.method}) accepted by ${id.approvedBy?.name ?? 'an approver'} ${formatUtc(id.at)}.`;
  return `Not decided: case ${c.id} is ${describeState(c.state)}.`;
}

/** The form message's data; `options.identityMethods` are the configured manual methods. */
export function formView(c: RecoveryCase, f: FormSlot, identityMethods: readonly string[]): FormView {
  const open = openForms(c).some((o) => formSlotName(o) === formSlotName(f));
  const titles: Record<FormKind, string> = {
    identity: `Case ${c.id}: identity check`,
    fallback: `Case ${c.id}: fallback approval`,
    close: `Case ${c.id}: close with lessons learned`,
  };
  const text =
    f.kind === 'identity'
      ? identityText(c, f, open)
      : f.kind === 'fallback'
        ? fallbackText(c, f, open)
        : open
          ? 'Have the user sign in, check that MFA, SSPR and Conditional Access apply (the summary card above shows the validation), then close the case with what you learned.'
          : c.state === 'documented'
            ? `Closed by ${closedBy(c)}; the lessons learned are on the summary card.`
            : `Not closed here: case ${c.id} is ${describeState(c.state)}.`;
  return {
    caseId: c.id,
    version: c.version,
    stepId: f.stepId ?? '',
    title: titles[f.kind],
    target: targetLine(c),
    text,
    open,
    isIdentity: f.kind === 'identity',
    isFallback: f.kind === 'fallback',
    isClose: f.kind === 'close',
    askFallback: c.scenario?.value === 'malicious',
    identityMethods: identityMethods.map((m) => ({ title: m, value: m })),
    note: open
      ? 'The bot does not change this message while it is open, so what you type here stays. It is edited once, when it is done.'
      : 'This message is final.',
  };
}
