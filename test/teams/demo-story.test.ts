import { BotHarness, repliesText } from '../helpers/bot-harness';
import { USERS } from '../helpers/demo-ids';

/**
 * The demo tells the same story whenever it runs: for every demo user, the triage (recommendation, reasons, timeline)
 * is the same on each day of the week and at any hour. Triage weighs working hours and days, so a demo tenant whose
 * times moved with the calendar recommended differently on a Monday than on a Wednesday (issue 13). Dates differ
 * from run to run; the weekday and the time of day of every event must not.
 */

const PEOPLE = ['adele', 'lee', 'diego', 'isaiah', 'nestor', 'johanna', 'patti', 'grady'] as const;
type Person = (typeof PEOPLE)[number];

/** One week, Monday 2026-11-16 to Sunday 2026-11-22, each day just after midnight, at noon and just before midnight (UTC). */
const STARTS = ['16', '17', '18', '19', '20', '21', '22'].flatMap((day) => ['00:00:30', '12:00:00', '23:59:00'].map((time) => `2026-11-${day}T${time}Z`));

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "2026-11-17 10:05 UTC" or "2026-11-17T10:05:12.000Z" -> "Tue 10:05": what must not move is the weekday and the hour. */
function undated(text: string): string {
  return text.replace(
    /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(\.\d{3})?Z| UTC)?/g,
    (_m, day: string, time: string) => `${WEEKDAY[new Date(`${day}T00:00:00Z`).getUTCDay()]} ${time}`,
  );
}

interface Story {
  readonly outcome: string;
  readonly recommendation?: string;
  readonly reasons?: readonly string[];
  readonly timeline?: readonly string[];
}

async function storiesAt(start: string): Promise<Record<Person, Story>> {
  const bot = await BotHarness.start(undefined, undefined, { startAt: new Date(start) });
  try {
    const stories = {} as Record<Person, Story>;
    for (const person of PEOPLE) {
      const reply = repliesText(await bot.send(`recover ${USERS[person].upn}`));
      const caseId = /Recovery case (RC-[0-9A-Z]{8})/.exec(reply)?.[1];
      const triage = caseId ? (await bot.cases.get(caseId))?.value.triage : undefined;
      stories[person] = triage
        ? {
            outcome: 'triaged',
            recommendation: triage.recommendation,
            reasons: triage.reasons.map(undated),
            timeline: triage.timeline.map((t) => undated(`${t.at} ${t.activity} by ${t.actorTrust}${t.outsideWorkingHours ? ', outside working hours' : ''}`)),
          }
        : // No case (for example a user the directory no longer has): the answer itself is the story.
          { outcome: undated(reply.replace(/RC-[0-9A-Z]{8}/g, 'RC-…')) };
    }
    return stories;
  } finally {
    await bot.stop();
  }
}

describe('the demo story is the same on every day of the week and at every hour', () => {
  let reference: Record<Person, Story>;
  beforeAll(async () => {
    reference = await storiesAt('2026-11-18T12:00:00Z');
  });

  it('tells the story the demo docs tell (docs/demo-tenant.md)', () => {
    expect(reference.adele).toMatchObject({ outcome: 'triaged', recommendation: 'accidental' });
    expect(reference.adele.timeline).toEqual(expect.arrayContaining([expect.stringMatching(/^Tue 10:05 .*by automation$/)]));
    expect(reference.lee).toMatchObject({ outcome: 'triaged', recommendation: 'malicious' });
    expect(reference.lee.reasons?.join(' ')).toMatch(/Mon 02:14/);
    expect(reference.diego).toMatchObject({ outcome: 'triaged', recommendation: 'malicious' });
    expect(reference.johanna).toMatchObject({ outcome: 'triaged', recommendation: 'malicious' });
    expect(reference.johanna.reasons?.[0]).toMatch(/No change to this user/);
  });

  it.each(STARTS)('at %s', async (start) => {
    expect(await storiesAt(start)).toEqual(reference);
  });
});
