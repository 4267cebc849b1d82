/**
 * The people of the demo's Microsoft 365 Agents Playgrounds: one Playground per person who clicks (Megan the helpdesk
 * agent, Alex the security approver, Patti the privileged approver), each with that person as its current user and
 * the others as members. The Playground has one current user and no way to switch users in its web client, so a second
 * person acting is a second Playground (its configuration file: M365_AGENTS_PLAYGROUND_CONFIG_PATH). The people are
 * those of the simulated tenant (docs/demo-tenant.md): same names and object ids, so the bot's Graph checks see the
 * identities the Playground sends. `.m365agentsplayground.yml` at the root is Megan's, written by this module (a test
 * keeps them equal).
 */

export interface PlaygroundPerson {
  /** The Playground's Teams user id for the person (the same in every Playground). */
  readonly teamsId: string;
  readonly name: string;
  readonly upn: string;
  readonly aadObjectId: string;
  readonly givenName: string;
  readonly surname: string;
}

const person = (n: number, name: string, aadSuffix: string): PlaygroundPerson => {
  const [givenName = name, surname = ''] = name.split(' ');
  return {
    teamsId: `user-id-${n}`,
    name,
    upn: `${givenName.toLowerCase()}@contoso.com`,
    aadObjectId: `9a1b7c20-${aadSuffix.padStart(4, '0')}-4e8a-9c11-${aadSuffix.padStart(12, '0')}`,
    givenName,
    surname,
  };
};

/** Everyone a Playground lists; it accepts at most five people besides its current user. */
export const PLAYGROUND_PEOPLE = {
  megan: person(0, 'Megan Bowen', '1'),
  alex: person(1, 'Alex Wilber', '2'),
  patti: person(2, 'Patti Fernandez', '3'),
  grady: person(3, 'Grady Archie', 'a'),
  adele: person(4, 'Adele Vance', '4'),
  lee: person(5, 'Lee Gu', '5'),
} as const;

export type PlaygroundName = keyof typeof PLAYGROUND_PEOPLE;

/** Who gets a Playground in `npm start`, in port order from PLAYGROUND_PORT, and what they do in the demo. */
export const DEMO_PLAYGROUNDS: readonly { readonly who: PlaygroundName; readonly role: string }[] = [
  { who: 'megan', role: 'helpdesk agent: opens cases in the Recoveries channel' },
  { who: 'alex', role: 'security approver: approves in his 1:1 chat with the bot' },
  { who: 'patti', role: 'privileged approver: approves privileged targets and fallbacks' },
];

const TENANT_ID = '5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10';
const BOT = { id: 'b07e0a11-2c3d-4e5f-8a9b-0c1d2e3f4a5b', name: 'Entra Recovery' };

function userLines(p: PlaygroundPerson, indent: string, first: string): string[] {
  return [
    `${first}id: ${p.teamsId}`,
    `${indent}name: ${p.name}`,
    // The Playground's own spelling of the key.
    `${indent}userPrincipleName: ${p.upn}`,
    `${indent}aadObjectId: ${p.aadObjectId}`,
    `${indent}givenName: ${p.givenName}`,
    `${indent}surname: ${p.surname}`,
    `${indent}email: ${p.upn}`,
  ];
}

/** The personal chat's id in a person's Playground: the bot learns it when that Playground's web page connects. */
export function personalChatId(who: PlaygroundName): string {
  return `personal-chat-${who}`;
}

/** The Playground configuration (YAML) with `who` as its current user. */
export function playgroundConfig(who: PlaygroundName): string {
  const current = PLAYGROUND_PEOPLE[who];
  const others = Object.entries(PLAYGROUND_PEOPLE).filter(([name]) => name !== who);
  return [
    '# Microsoft 365 Agents Playground configuration for the demo (npm start), written by src/launcher/playground-people.ts.',
    '# The people here are the people of the simulated tenant (docs/demo-tenant.md): same names, same object ids,',
    "# so the bot's Graph checks (helpdesk and approver groups) see the same identities the Playground sends.",
    `# The current user is ${current.name}. npm start runs one Playground per person who clicks in the demo.`,
    '# The Playground accepts at most 5 users besides the current one; targets need not be listed for the bot to work.',
    'version: "0.1.1"',
    `tenantId: ${TENANT_ID}`,
    'bot:',
    `  id: ${BOT.id}`,
    `  name: ${BOT.name}`,
    'currentUser:',
    ...userLines(current, '  ', '  '),
    'users:',
    ...others.flatMap(([, p]) => userLines(p, '    ', '  - ')),
    'personalChat:',
    `  id: ${personalChatId(who)}`,
    'groupChat:',
    '  id: group-chat-recovery',
    '  name: Recovery desk',
    'team:',
    '  id: team-identity-ops',
    '  name: Identity Operations',
    '  aadGroupId: 3c0d9e51-1000-4b2a-8f00-00000000b001',
    '  channels:',
    '    - id: channel-recoveries',
    '      name: Recoveries',
    '',
  ].join('\n');
}
