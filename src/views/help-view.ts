export interface HelpView {
  commands: { usage: string; description: string }[];
}

/** The commands the bot understands; the same list answers `help` and unknown input. */
export function helpView(): HelpView {
  return {
    commands: [
      {
        usage: 'recover <user principal name or object id>',
        description: 'Open a recovery case in this thread and show the user: account state, roles, methods, last sign-in.',
      },
      { usage: 'status <case id>', description: 'Show a case you or your team opened again.' },
      { usage: 'export <case id>', description: 'The case record as Markdown and JSON: scenario, approvals, every step, validation, journal.' },
      {
        usage: 'override <case id> <reason>',
        description: 'Accept the helpdesk-attack risks of your case that need it (many recoveries in a row, out of hours), with a reason the approvers see.',
      },
      { usage: 'verify <case id>', description: 'Check that the case journal has not been edited since it was written (hash chain).' },
      {
        usage: 'readiness',
        description:
          "Check the tenant against the guidance's preparation and prevention: methods per user, phishing-resistant methods, MFA, who can manage methods (permanent or PIM), Conditional Access, TAP policy, protected actions. Counts on the card; readiness export gives the lists as Markdown.",
      },
      {
        usage: 'incident <actor UPN or id> last <N>h',
        description:
          'Bulk recovery after an incident (a sync error, an automation): finds every user the actor deleted in the window and plans one restore for all of them; two approvers; then incident approve | deny | start | retry | status | export <incident id>.',
      },
      { usage: 'help', description: 'Show this list.' },
    ],
  };
}
