import { nextStep } from '../../src/domain/workflow';
import { planStepRow, PREVIEW_CARD_ROWS } from '../../src/views/plan-view';
import { formatDuration, graphRequestText } from '../../src/views/case-text';
import { NO_STEP_ACTIONS, nextStepActions } from '../../src/views/next-step-actions';
import { progressView } from '../../src/views/progress-view';
import { REASONS_CARD_ROWS, TIMELINE_CARD_ROWS } from '../../src/views/card-budget';
import { triageView } from '../../src/views/triage-view';
import * as S from './sample-states';

describe('view models', () => {
  it('caps the timeline at 25 rows, the most recent, and says how many more are in the export', () => {
    const c = S.triaged(S.longTriage(80));
    const view = triageView(c);
    expect(view.timeline).toHaveLength(TIMELINE_CARD_ROWS);
    expect(view.hasMore).toBe(true);
    expect(view.moreText).toMatch(/^55 more in the export/);
    expect(view.timeline[TIMELINE_CARD_ROWS - 1]?.when).toBe('2026-11-04 08:00 UTC');
    expect(view.reasons).toHaveLength(REASONS_CARD_ROWS);
    expect(view.hasMoreReasons).toBe(true);
    expect(triageView(S.triaged(S.MALICIOUS_TRIAGE)).hasMore).toBe(false);
  });

  it('shortens very long directory names, and shows fewer rows when the names are huge', () => {
    const view = triageView(S.triaged(S.longTriage(200, '名'.repeat(256))));
    for (const row of view.timeline) expect(row.who.length).toBeLessThanOrEqual(100);
    expect(view.timeline.length).toBeGreaterThan(5);
    expect(view.timeline.length).toBeLessThan(TIMELINE_CARD_ROWS);
    expect(view.moreText).toMatch(new RegExp(`^${200 - view.timeline.length} more in the export`));
  });

  it('writes Graph requests as METHOD /version/path, naming beta', () => {
    expect(graphRequestText({ method: 'DELETE', path: '/users/u/authentication/hardwareOathMethods/h', version: 'beta' })).toBe(
      'DELETE /beta/users/u/authentication/hardwareOathMethods/h',
    );
    expect(graphRequestText({ method: 'PATCH', path: '/users/u', version: 'v1.0' })).toBe('PATCH /v1.0/users/u');
  });

  it('lists the GET and at most 15 preview DELETEs for removeAllMethods', () => {
    const step = S.planFor('malicious', S.MANY_METHODS).find((s) => s.kind === 'removeAllMethods');
    if (!step) throw new Error('no removeAllMethods step');
    const row = planStepRow(step, 0);
    expect(row.requests[0]?.line).toMatch(/^GET \/v1\.0\/users\/.*\/authentication\/methods$/);
    expect(row.requests).toHaveLength(1 + PREVIEW_CARD_ROWS);
    expect(row.moreRequests).toBe('and 9 more DELETE request(s)');
    expect(row.flags).toBe('Destructive');
  });

  it('formats how long a case was open', () => {
    expect(formatDuration('2026-11-25T10:00:00Z', '2026-11-25T10:12:00Z')).toBe('12 min');
    expect(formatDuration('2026-11-25T10:00:00Z', '2026-11-25T12:05:00Z')).toBe('2 h 5 min');
    expect(formatDuration('2026-11-25T10:00:00Z', '2026-11-28T14:00:00Z')).toBe('3 d 4 h');
    expect(formatDuration('2026-11-25T10:00:00Z', undefined)).toBe('still open');
  });

  it('gives actions to the next step only, and none while the bot works on it', () => {
    expect(nextStepActions(S.approved())).toBeUndefined();
    const c = S.executingUntil('malicious', 'resetPassword');
    const stepId = nextStep(c)?.id ?? '';
    expect(nextStepActions(S.given(S.waitingOn('malicious', 'resetPassword'), { type: 'startStep', stepId, by: c.requester }))).toBeUndefined();
    expect(nextStepActions(c)).toEqual({
      stepId,
      actions: { ...NO_STEP_ACTIONS, revealPassword: true },
    });
    expect(
      progressView(c)
        .steps.filter((r) => r.hasActions)
        .map((r) => r.stepId),
    ).toEqual([stepId]);
  });
});
