import { join } from 'node:path';
import type { IncidentCase } from '../../src/domain/incident';
import { CardSigner } from '../../src/teams/card-signature';
import { renderIncidentCard } from '../../src/teams/incident-card';
import { CardRenderer } from '../../src/views/card-renderer';
import { IncidentVerb } from '../../src/views/verbs';
import { TENANT_ID } from '../helpers/demo-ids';
import { completedIncident, sampleIncident } from '../helpers/sample-incident';
import { textsOf } from '../helpers/card-checks';
import { buttonsOf, inputIdsOf, inputOf, verbsIn } from './card-queries';

const cards = new CardRenderer(join(__dirname, '..', '..', 'cards'), false);
const signer = new CardSigner('incident-buttons-test-signing-key-0123456789');
const THREAD = {
  tenantId: TENANT_ID,
  conversationId: '19:recoveries@thread.tacv2;messageid=1700000000000',
  serviceUrl: 'https://smba.example/',
  channelId: 'msteams',
};
const inThread = (c: IncidentCase): IncidentCase => ({ ...c, thread: THREAD, version: 7, stateVersion: 5 });
const card = (c: IncidentCase, buttons?: boolean): Record<string, unknown> =>
  renderIncidentCard({ cards, signer }, inThread(c), buttons === undefined ? {} : { buttons }).content;
const allClean = (c: IncidentCase): IncidentCase => ({
  ...c,
  results: Object.fromEntries(Object.entries(c.results).map(([id, r]) => [id, { ...r, status: 'restored' as const, error: undefined }])),
});

describe('incident card buttons', () => {
  it.each<[string, IncidentCase, string[], string[]]>([
    ['waiting for approval', sampleIncident(30), [IncidentVerb.approve, IncidentVerb.deny], ['comment', 'denyReason']],
    ['approved', { ...sampleIncident(30), state: 'approved' }, [IncidentVerb.start], []],
    ['running', { ...sampleIncident(30), state: 'executing', runs: 1 }, [], []],
    ['finished with failed users', completedIncident(30), [IncidentVerb.retryFailed], []],
    ['finished, nobody failed', allClean(completedIncident(30)), [], []],
    ['denied', { ...sampleIncident(30), state: 'denied' }, [], []],
  ])('%s', (_state, c, verbs, inputs) => {
    const drawn = card(c);
    expect(verbsIn(drawn)).toEqual(verbs);
    expect(inputIdsOf(drawn)).toEqual(inputs);
  });

  it('asks for an optional comment and a required deny reason, each within the server limit', () => {
    const drawn = card(sampleIncident(30));
    expect(inputOf(drawn, 'comment')).toMatchObject({ label: 'Comment (optional)', maxLength: 500 });
    expect(inputOf(drawn, 'denyReason')).toMatchObject({ placeholder: 'Required to deny', maxLength: 500 });
  });

  it('names how many failed users the retry runs again', () => {
    expect(buttonsOf(card(completedIncident(30))).map((b) => b.title)).toEqual(['Retry the 2 failed user(s)']);
  });

  it('signs every button for the incident, its version and its thread, under the incident kind', () => {
    for (const c of [sampleIncident(30), { ...sampleIncident(30), state: 'approved' as const }, completedIncident(30)]) {
      for (const button of buttonsOf(card(c))) {
        expect(Object.keys(button.data).sort()).toEqual(['incidentId', 'sig', 'version']);
        expect(button.data).toMatchObject({ incidentId: 'IN-7K2M9QXA', version: 7 });
        const fields = { tenantId: THREAD.tenantId, conversationId: THREAD.conversationId, version: 7 };
        expect(signer.verify({ ...fields, incidentId: 'IN-7K2M9QXA' }, button.data.sig as string)).toBe(true);
        // The same id string as a case id does not verify: a case card's signature is not an incident card's.
        expect(signer.verify({ ...fields, caseId: 'IN-7K2M9QXA' }, button.data.sig as string)).toBe(false);
        expect(signer.verify({ ...fields, incidentId: 'IN-7K2M9QXA', version: 8 }, button.data.sig as string)).toBe(false);
        expect(signer.verify({ ...fields, incidentId: 'IN-7K2M9QXA', conversationId: '19:other@thread.tacv2' }, button.data.sig as string)).toBe(false);
      }
    }
  });

  it('a case card\u2019s signature never verifies for an incident with the same id string', () => {
    const fields = { tenantId: TENANT_ID, conversationId: THREAD.conversationId, version: 3 };
    expect(signer.verify({ ...fields, incidentId: 'RC-7K2M9QXA' }, signer.sign({ ...fields, caseId: 'RC-7K2M9QXA' }))).toBe(false);
    expect(signer.verify({ ...fields, caseId: 'RC-7K2M9QXA' }, signer.sign({ ...fields, caseId: 'RC-7K2M9QXA' }))).toBe(true);
  });

  it('a copy for a typed command\u2019s answer, or an incident without a thread, has no buttons but the same facts', () => {
    const c = sampleIncident(30);
    expect(verbsIn(card(c, false))).toEqual([]);
    expect(textsOf(card(c, false))).toEqual(textsOf(card(c)).filter((t) => !t.startsWith('Approvers: check')));
    expect(verbsIn(renderIncidentCard({ cards, signer }, c).content)).toEqual([]);
  });

  it('shows each approver\u2019s comment', () => {
    const c = sampleIncident(30, {
      approvals: [{ by: { aadObjectId: 'a', name: 'Alex Wilber' }, at: '2026-11-25T10:05:00.000Z', comment: 'Sync team confirmed' }],
    });
    expect(textsOf(card(c)).join('\n')).toContain('Approved by Alex Wilber ("Sync team confirmed") (1 of 2).');
  });
});
