import type { RecoveryCase, StepRun } from '../domain/case';
import type { PlanStep } from '../domain/plan';
import { describeState } from '../domain/workflow';
import { targetLine } from './case-text';
import { formatUtc } from './format';
import { DEFAULT_PROGRESS_OPTIONS, type ProgressOptions } from './progress-view';
import { Verb } from './verbs';

/** A step whose value is shown once to the requester: the reveal message exists for these. */
export type SecretStep = PlanStep & { readonly kind: 'resetPassword' | 'issueTap' };

export const isSecretStep = (step: PlanStep): step is SecretStep => step.kind === 'resetPassword' || step.kind === 'issueTap';

/** The step ended without a value: the agent (or the bot, after Account Recovery) marked it not needed. */
export const isNotNeeded = (run: StepRun | undefined): boolean => run?.status === 'done' && (run.detail ?? '').startsWith('Not needed');

/**
 * A message of its own that the bot posts once and edits once (a reveal message, a form message): what it is about, and
 * whether its button or form is still open.
 */
export interface OwnMessageView {
  caseId: string;
  version: number;
  stepId: string;
  title: string;
  target: string;
  text: string;
  /** The button or the form is offered; once false, the message is final. */
  open: boolean;
}

export interface RevealView extends OwnMessageView {
  isTap: boolean;
  verb: string;
  buttonTitle: string;
  tapLifetime: number;
  tapMin: number;
  tapMax: number;
  tapLifetimeLabel: string;
  tapOneTime: 'true' | 'false';
  note: string;
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * The message that holds the Reveal button of one secret step, apart from the progress card. The answer to the click
 * (the value) replaces this message in the requester's view only, and the bot does not edit it while the case runs, so
 * nothing the bot does afterwards (the progress card moving on) can take the value off the requester's screen. Once
 * the case is over, the message is edited once to say what happened, without any button.
 */
export function revealView(c: RecoveryCase, step: SecretStep, options: ProgressOptions = DEFAULT_PROGRESS_OPTIONS): RevealView {
  const isTap = step.kind === 'issueTap';
  const what = isTap ? 'Temporary Access Pass' : 'new password';
  const run = c.steps?.[step.id];
  const open = (c.state === 'executing' || c.state === 'failed') && run?.status !== 'done';
  const { tap } = options;
  const tapMin = tap.minMinutes ?? Math.min(60, tap.lifetimeInMinutes);
  const tapMax = tap.maxMinutes ?? Math.max(480, tap.lifetimeInMinutes);
  const verified = c.identityVerification ? ` Identity verified by ${c.identityVerification.by.name} (${c.identityVerification.method}).` : '';
  const none = isTap ? 'No Temporary Access Pass was issued' : 'No new password was set';
  const text = open
    ? `${c.requester.name}: reveal the ${what} when you are on the call with the verified user.${verified} Only you can, once; the value appears here, for you alone.`
    : isNotNeeded(run)
      ? `${none}: ${lowerFirst(run?.detail ?? '')}${run?.at ? ` at ${formatUtc(run.at)}` : ''}.`
      : run?.status === 'done'
        ? `Revealed to ${c.requester.name}${run.at ? ` at ${formatUtc(run.at)}` : ''}; the value was not kept.`
        : `${none}: the case is ${describeState(c.state)}.`;
  return {
    caseId: c.id,
    version: c.version,
    stepId: step.id,
    title: `Case ${c.id}: ${isTap ? 'Temporary Access Pass' : 'new password'}`,
    target: targetLine(c),
    text,
    open,
    isTap,
    verb: isTap ? Verb.revealTap : Verb.revealPassword,
    buttonTitle: isTap ? 'Reveal TAP' : 'Reveal new password',
    tapLifetime: tap.lifetimeInMinutes,
    tapMin,
    tapMax,
    tapLifetimeLabel: `Lifetime in minutes (${tapMin}–${tapMax})`,
    tapOneTime: tap.isUsableOnce ? 'true' : 'false',
    note: open
      ? 'The bot does not edit this message while the recovery runs, so a revealed value stays on the screen of the person who revealed it. It is never posted to the thread, logged or stored.'
      : 'This message is final. A value is never posted to the thread, logged or stored.',
  };
}
