import { BackgroundWork } from '../../src/app/background-work';
import { assessReadiness } from '../../src/domain/readiness-checks';
import { readinessPosterFor } from '../../src/teams/readiness-later';
import { RecordingPoster, recordingLogger, type LogLine } from '../helpers/bot-harness';
import { TENANT_ID } from '../helpers/demo-ids';
import { sampleSnapshot } from '../helpers/sample-readiness';

const THREAD = { tenantId: TENANT_ID, conversationId: '19:recoveries@thread.tacv2;messageid=1', serviceUrl: 'https://smba.example/', channelId: 'msteams' };

describe('the readiness report posted after the reply', () => {
  it('posts what the handler renders, into the thread it came from', async () => {
    const logs: LogLine[] = [];
    const poster = new RecordingPoster();
    const background = new BackgroundWork(recordingLogger(logs));
    const post = readinessPosterFor({ assess: () => Promise.resolve(assessReadiness(sampleSnapshot())), poster, background, logger: recordingLogger(logs) });
    post(THREAD, (report) => [
      { type: 'message', text: `${report.checks.length} checks` },
      { type: 'message', text: 'second part' },
    ]);
    await background.idle();
    expect(poster.writes.map((w) => w.activity.text)).toEqual(['11 checks', 'second part']);
  });

  it('says the report failed, without the error, when reading the tenant throws', async () => {
    const logs: LogLine[] = [];
    const poster = new RecordingPoster();
    const background = new BackgroundWork(recordingLogger(logs));
    const post = readinessPosterFor({ assess: () => Promise.reject(new Error('secret detail from a bug')), poster, background, logger: recordingLogger(logs) });
    post(THREAD, () => [{ type: 'message', text: 'never' }]);
    await background.idle();
    expect(poster.writes.map((w) => w.activity.text)).toEqual([
      'The readiness report failed before it could be posted. Try again in a few minutes; the bot log has the details.',
    ]);
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'readiness report failed',
        fields: expect.objectContaining({ error: 'secret detail from a bug' }) as unknown,
      }),
    ]);
  });
});
