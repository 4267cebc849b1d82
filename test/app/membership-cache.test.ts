import { withMembershipCache } from '../../src/app/membership-cache';
import type { Directory } from '../../src/ports/directory';
import { TEST_NOW } from '../helpers/test-clock';

const GROUP = 'group-approvers';
const TTL = 60_000;

/**
 * A directory whose answers the test releases by hand, counting the calls: membership as it is in the tenant now.
 */
function tenant() {
  const members = new Set<string>(['alex']);
  const pending: { resolve: () => void; fail: (e: Error) => void }[] = [];
  let calls = 0;
  const directory = {
    memberOf: (userId: string, groupIds: readonly string[]) =>
      new Promise<readonly string[]>((resolve, reject) => {
        calls++;
        // The answer is the membership when Graph evaluates the call (when the test releases it).
        pending.push({ resolve: () => resolve(members.has(userId) ? [...groupIds] : []), fail: reject });
      }),
  } as unknown as Directory;
  return {
    directory,
    members,
    calls: () => calls,
    releaseAll: async () => {
      for (const p of pending.splice(0)) p.resolve();
      await new Promise((r) => setImmediate(r));
    },
    failAll: async () => {
      for (const p of pending.splice(0)) p.fail(new Error('Graph 503'));
      await new Promise((r) => setImmediate(r));
    },
  };
}

function setup(maxEntries?: number) {
  const t = tenant();
  let now = TEST_NOW.getTime();
  const cached = withMembershipCache(t.directory, { now: () => new Date(now) }, TTL, maxEntries);
  return { ...t, cached, advance: (ms: number) => void (now += ms) };
}

describe('withMembershipCache', () => {
  it('asks Graph once for a burst of clicks by one person, and once per person', async () => {
    const s = setup();
    const answers = Array.from({ length: 100 }, () => s.cached.memberOf('alex', [GROUP]));
    const other = s.cached.memberOf('patti', [GROUP]);
    expect(s.calls()).toBe(2);
    await s.releaseAll();
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 100 }, () => [GROUP]));
    expect(await other).toEqual([]);
    expect(await s.cached.memberOf('alex', [GROUP])).toEqual([GROUP]);
    expect(s.calls()).toBe(2);
  });

  it('serves an answer past half its TTL and refreshes it once in the background', async () => {
    const s = setup();
    const first = s.cached.memberOf('alex', [GROUP]);
    await s.releaseAll();
    await first;
    s.advance(TTL / 2);
    s.members.delete('alex');
    // Still within the TTL: the kept answer, and one refresh started for all these clicks.
    for (let i = 0; i < 5; i++) expect(await s.cached.memberOf('alex', [GROUP])).toEqual([GROUP]);
    expect(s.calls()).toBe(2);
    await s.releaseAll();
    expect(await s.cached.memberOf('alex', [GROUP])).toEqual([]);
  });

  it('never serves an answer as old as the TTL: a removal from the group counts from then on', async () => {
    const s = setup();
    const first = s.cached.memberOf('alex', [GROUP]);
    await s.releaseAll();
    await first;
    s.members.delete('alex');
    s.advance(TTL);
    const after = s.cached.memberOf('alex', [GROUP]);
    expect(s.calls()).toBe(2);
    await s.releaseAll();
    expect(await after).toEqual([]);
  });

  it('keeps no failure: every click waiting gets the error, the next click asks again', async () => {
    const s = setup();
    const answers = [s.cached.memberOf('alex', [GROUP]), s.cached.memberOf('alex', [GROUP])];
    await s.failAll();
    for (const answer of answers) await expect(answer).rejects.toThrow('Graph 503');
    const again = s.cached.memberOf('alex', [GROUP]);
    expect(s.calls()).toBe(2);
    await s.releaseAll();
    expect(await again).toEqual([GROUP]);
  });

  it('a failed background refresh leaves the answer to expire at its TTL', async () => {
    const s = setup();
    const first = s.cached.memberOf('alex', [GROUP]);
    await s.releaseAll();
    await first;
    s.advance(TTL / 2);
    expect(await s.cached.memberOf('alex', [GROUP])).toEqual([GROUP]);
    await s.failAll();
    s.advance(TTL / 2);
    const expired = s.cached.memberOf('alex', [GROUP]);
    expect(s.calls()).toBe(3);
    await s.releaseAll();
    expect(await expired).toEqual([GROUP]);
  });

  it('keeps at most maxEntries people, the least recently asked forgotten first', async () => {
    const s = setup(2);
    for (const who of ['alex', 'patti', 'megan']) {
      const answer = s.cached.memberOf(who, [GROUP]);
      await s.releaseAll();
      await answer;
    }
    expect(s.calls()).toBe(3);
    void s.cached.memberOf('megan', [GROUP]);
    void s.cached.memberOf('patti', [GROUP]);
    expect(s.calls()).toBe(3);
    void s.cached.memberOf('alex', [GROUP]);
    expect(s.calls()).toBe(4);
    await s.releaseAll();
  });

  it('refuses a TTL over 60 s', () => {
    expect(() => withMembershipCache(tenant().directory, { now: () => TEST_NOW }, 60_001)).toThrow('60 s at most');
  });
});
