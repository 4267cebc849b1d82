import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PLAYGROUNDS, PLAYGROUND_PEOPLE, personalChatId, playgroundConfig } from '../../src/launcher/playground-people';
import { USERS } from '../helpers/demo-ids';

describe('the demo Playgrounds (one per person who clicks)', () => {
  it('the committed .m365agentsplayground.yml is Megan\u2019s configuration as the launcher writes it', () => {
    expect(readFileSync(join(__dirname, '..', '..', '.m365agentsplayground.yml'), 'utf8')).toBe(playgroundConfig('megan'));
  });

  it('each person is the simulated tenant\u2019s person (same object id and UPN), and the Playground lists at most five others', () => {
    for (const [who, p] of Object.entries(PLAYGROUND_PEOPLE)) {
      const tenant = USERS[who as keyof typeof USERS];
      expect({ aadObjectId: p.aadObjectId, upn: p.upn, name: p.name }).toEqual({ aadObjectId: tenant.id, upn: tenant.upn, name: tenant.name });
    }
    expect(Object.keys(PLAYGROUND_PEOPLE).length - 1).toBeLessThanOrEqual(5);
  });

  it('Alex\u2019s and Patti\u2019s Playgrounds have them as current user, their own personal chat, and the same team and channel', () => {
    expect(DEMO_PLAYGROUNDS.map((p) => p.who)).toEqual(['megan', 'alex', 'patti']);
    for (const who of ['alex', 'patti'] as const) {
      const yaml = playgroundConfig(who);
      const current = yaml.slice(yaml.indexOf('currentUser:'), yaml.indexOf('users:'));
      expect(current).toContain(`aadObjectId: ${PLAYGROUND_PEOPLE[who].aadObjectId}`);
      expect(yaml).toContain(`personalChat:\n  id: ${personalChatId(who)}`);
      expect(yaml).toContain('    - id: channel-recoveries\n      name: Recoveries');
      // Everyone else is listed once as a member; the current user is not.
      expect(yaml.split(`aadObjectId: ${PLAYGROUND_PEOPLE[who].aadObjectId}`)).toHaveLength(2);
      expect(yaml).toContain(`aadObjectId: ${PLAYGROUND_PEOPLE.megan.aadObjectId}`);
    }
  });
});
