/**
 * Who an approval request (or its escalation) reached in a 1:1 chat with the bot, and who it could not reach and why.
 * Recorded in the case's journal, so the record says who was asked, not only who answered.
 */
export interface ApproverContact {
  /** True for the escalation (ESCALATION_GROUP_IDS), false for the request to the approvers. */
  readonly escalation: boolean;
  /** Display names of the people the message reached. */
  readonly reached: readonly string[];
  readonly unreached: readonly { readonly name: string; readonly reason: string }[];
}

/** The longest journal detail this writes: a request to 60 approvers must not grow the case without bound. */
const MAX_CONTACT_TEXT = 1500;

/** "Reached: Alex Wilber, Patti Fernandez. Not reached: Nestor Wilke (the bot is not installed for them)." */
export function contactText(contact: ApproverContact): string {
  const parts = [
    ...(contact.reached.length > 0 ? [`Reached: ${contact.reached.join(', ')}.`] : []),
    ...(contact.unreached.length > 0 ? [`Not reached: ${contact.unreached.map((u) => `${u.name} (${u.reason})`).join('; ')}.`] : []),
  ];
  const text = parts.join(' ');
  return text.length > MAX_CONTACT_TEXT ? `${text.slice(0, MAX_CONTACT_TEXT - 1)}…` : text;
}
