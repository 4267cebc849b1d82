export interface HelpView {
  /** Markdown for a TextBlock: the command in bold, what to fill in as _italic words_ (never an angle-bracket placeholder). */
  commands: { usage: string; description: string }[];
}

/**
 * The commands the bot understands; the same list answers `help` and unknown input. Placeholders are italic words:
 * Adaptive Card TextBlocks render a subset of Markdown (bold, italic, lists, links) and no HTML, and a `<case id>` is
 * taken for an HTML tag and dropped by Teams and the Agents Playground
 * (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
 */
export function helpView(): HelpView {
  return {
    commands: [
      {
        usage: '**recover** _user principal name or object id_',
        description: 'Open a recovery case in this thread and show the user: account state, roles, methods, last sign-in.',
      },
      { usage: '**status** _case id_', description: 'Show a case you or your team opened again.' },
      { usage: '**export** _case id_', description: 'The case record as Markdown and JSON: scenario, approvals, every step, validation, journal.' },
      {
        usage: '**override** _case id_ _reason_',
        description: 'Accept the helpdesk-attack risks of your case that need it (many recoveries in a row, out of hours), with a reason the approvers see.',
      },
      { usage: '**verify** _case id_', description: 'Check that the case journal has not been edited since it was written (hash chain).' },
      {
        usage: '**readiness**',
        description:
          "Check the tenant against the guidance's preparation and prevention: methods per user, phishing-resistant methods, MFA, who can manage methods (permanent or PIM), Conditional Access, TAP policy, protected actions. Counts on the card; readiness export gives the lists as Markdown.",
      },
      {
        usage: '**incident** _actor UPN or id_ **last** _hours_**h**',
        description:
          'Bulk recovery after an incident (a sync error, an automation): finds every user the actor deleted in the window and plans one restore for all of them; two approvers; then **incident approve**, **deny**, **start**, **retry**, **status** or **export** followed by the incident id.',
      },
      { usage: '**help**', description: 'Show this list.' },
    ],
  };
}
