import type { StepStatus, ValidationCheck } from '../domain/case';
import { assertNever } from '../domain/errors';

export type StatusWord = 'waiting' | 'running' | 'done' | 'failed' | 'needs you';
export type TextColor = 'Default' | 'Accent' | 'Good' | 'Attention' | 'Warning';

export interface StatusText {
  icon: string;
  statusWord: StatusWord;
  statusColor: TextColor;
}

/** How a step's status reads on a card. A pending step the agent must act on "needs you". */
export function stepStatusText(status: StepStatus, needsAgent: boolean): StatusText {
  switch (status) {
    case 'pending':
      return needsAgent ? { icon: '👉', statusWord: 'needs you', statusColor: 'Warning' } : { icon: '⏳', statusWord: 'waiting', statusColor: 'Default' };
    case 'waiting':
      return { icon: '👉', statusWord: 'needs you', statusColor: 'Warning' };
    case 'running':
      return { icon: '🔄', statusWord: 'running', statusColor: 'Accent' };
    case 'done':
      return { icon: '✅', statusWord: 'done', statusColor: 'Good' };
    case 'failed':
      return { icon: '❌', statusWord: 'failed', statusColor: 'Attention' };
    default:
      return assertNever(status);
  }
}

export function validationOutcomeText(outcome: ValidationCheck['outcome']): { icon: string; word: string; color: TextColor } {
  switch (outcome) {
    case 'pass':
      return { icon: '✅', word: 'pass', color: 'Good' };
    case 'fail':
      return { icon: '❌', word: 'fail', color: 'Attention' };
    case 'pending':
      return { icon: '⏳', word: 'pending', color: 'Default' };
    case 'info':
      return { icon: 'ℹ️', word: 'info', color: 'Default' };
    default:
      return assertNever(outcome);
  }
}

/** What the summary and the progress card show for every step. */
export interface StepRow extends StatusText {
  number: string;
  title: string;
  detail: string;
  hasDetail: boolean;
  requestIds: string;
  hasRequestIds: boolean;
}
