import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import type { ThreadRef } from '../../src/domain/case';
import { InMemoryStorage } from '../../src/store/memory-storage';
import { CardSigner } from '../../src/teams/card-signature';
import { ThreadCards } from '../../src/teams/thread-cards';
import { CardRenderer } from '../../src/views/card-renderer';
import { RecordingPoster, recordingLogger, type LogLine } from '../helpers/bot-harness';
import { textsOf } from '../helpers/card-checks';
import * as S from '../views/sample-states';
import { pinnedClock } from '../helpers/test-clock';

/** A connector that takes a while to answer a post, so that two changes can be shown at the same moment. */
class SlowPoster extends RecordingPoster {
  failNext = false;
  override async post(thread: ThreadRef, activity: Partial<Activity>): Promise<string> {
    await new Promise((r) => setTimeout(r, 50));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('Teams answered 502');
    }
    return super.post(thread, activity);
  }
}

describe('ThreadCards: one message per card, also when changes are shown at the same moment', () => {
  const cards = new CardRenderer(join(__dirname, '..', '..', 'cards'), true);
  const signer = new CardSigner('thread-cards-test-signing-key-0123456789abcdef');
  let storage: InMemoryStorage;
  let poster: SlowPoster;
  let logs: LogLine[];
  const clock = pinnedClock();
  const instance = () => new ThreadCards(poster, storage, { cards, signer, logger: recordingLogger(logs), clock: { now: clock } });
  const headings = () =>
    poster.writes.map((w) => `${w.kind} ${textsOf(w.activity.attachments?.[0]?.content).find((t) => /of case|for case|Case RC/.test(t)) ?? ''}`);
  beforeEach(() => {
    storage = new InMemoryStorage();
    poster = new SlowPoster();
    logs = [];
  });

  it('two instances showing the new phase at once post its card once; the other edits it', async () => {
    const started = S.executing();
    const nextChange = { ...started, version: started.version + 1 };
    await Promise.all([instance().caseChanged(started), instance().caseChanged(nextChange)]);
    const progress = poster.writes.filter((w) => textsOf(w.activity.attachments?.[0]?.content).includes(`Recovery of case ${started.id}`));
    expect(progress.filter((w) => w.kind === 'post')).toHaveLength(1);
    expect(progress.filter((w) => w.kind === 'update')).toHaveLength(1);
    expect(progress[1]?.activityId).toBe(progress[0]?.activityId);
  });

  it('a failed post frees the card again, so the next change posts it', async () => {
    poster.failNext = true;
    const c = S.executing();
    await instance().caseChanged(c);
    expect(poster.writes).toEqual([]);
    expect(logs.some((l) => l.level === 'warn' && l.message === 'could not update the thread')).toBe(true);
    await instance().caseChanged({ ...c, version: c.version + 1 });
    expect(headings()).toEqual([`post Recovery of case ${c.id}`]);
  });

  it('a claim left by an instance that died while posting (30 s without a message) is taken over', async () => {
    const c = S.executing();
    await storage.create(`threads/${c.id}/progress`, { claimedAt: new Date(clock().getTime() - 60_000).toISOString() });
    await instance().caseChanged(c);
    expect(headings()).toEqual([`post Recovery of case ${c.id}`]);
  });
});
