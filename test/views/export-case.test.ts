import type { RecoveryCase } from '../../src/domain/case';
import { exportCaseJson, exportCaseMarkdown } from '../../src/views/export-case';
import * as S from './sample-states';

const SECTIONS = [
  '# Recovery case RC-7K2M9QXA',
  '## At intake',
  '## Helpdesk-attack risks',
  '## Scenario',
  '## Approvals',
  '## Steps',
  '## Identity verification',
  '## Validation',
  '## Lessons learned',
  '## Timeline',
  '## Journal',
];

/** A closed case whose free text is full of words a naive redactor would blank out. */
function caseWithSecretLookingWords(): RecoveryCase {
  const c = S.documented();
  return {
    ...c,
    lessons: 'The temporary password and the TAP were given on the phone after the callback; no secret was written down. client_secret rotation is due.',
    journal: [
      ...c.journal,
      {
        at: '2026-11-25T11:00:00Z',
        by: 'Megan Bowen',
        event: 'Note',
        detail: 'User asked whether the password "hunter2" policy applies | token | Bearer | secret questions are gone',
      },
    ],
  };
}

describe('case export', () => {
  it('has every section of the summary, plus the full timeline and journal', () => {
    const md = exportCaseMarkdown(S.documented());
    let last = -1;
    for (const heading of SECTIONS) {
      const at = md.indexOf(`${heading}\n`);
      expect(at).toBeGreaterThan(last);
      last = at;
    }
    expect(md).toContain('| Requested by | Megan Bowen |');
    expect(md).toContain('Recommended: **Malicious**');
    expect(md).toMatch(/\| Alex Wilber \| approved \| 2026-11-25 \d\d:\d\d UTC \| Called Adele back on her desk phone \|/);
    expect(md).toContain('`DELETE /v1.0/users/9a1b7c20-0004-4e8a-9c11-000000000004/authentication/fido2Methods/f1`');
    expect(md).toContain('Graph request id(s): req-s01');
    expect(md).toMatch(/Video call with manager, recorded by Megan Bowen/);
    expect(md).toContain('> Manager Patti confirmed on video; badge matched');
    expect(md).toContain('| Methods registered | pass | FIDO2 security key registered at 11:02 UTC |');
    expect(md).toContain('> Move it to PIM with approval.');
    for (const entry of S.documented().journal) expect(md).toContain(entry.at);
  });

  it('records each Verified ID request with every rule, the evidence kept (names, not values) and the fallback that followed', () => {
    const c = S.given(S.fallbackPending(), { type: 'decideFallback', by: S.NESTOR, decision: 'approve' });
    const md = exportCaseMarkdown(c);
    const section = md.slice(md.indexOf('## Identity verification'), md.indexOf('## Validation'));
    expect(section).toMatch(/WITHOUT Verified ID \(fallback\): Video call with manager, recorded by Megan Bowen, accepted by Nestor Wilke/);
    expect(section).toContain('1. Request vid-req-1 by Megan Bowen at 2026-11-25T');
    expect(section).toContain('**failed**');
    expect(section).toContain('Compromise start used: 2026-11-24T02:10:00Z');
    expect(section).toContain('   - FAIL Issued before the compromise: issued during or after the compromise');
    expect(section).toContain('   - pass Face Check: face match 91 (threshold 85)');
    expect(section).toContain('Claims presented (names only): displayName, revocationId');
  });

  it('keeps every timeline entry, not just the 25 the card shows', () => {
    const md = exportCaseMarkdown(S.triaged(S.longTriage(80)));
    expect(md).toContain('80 relevant change(s), oldest first.');
    const timeline = md.slice(md.indexOf('## Timeline'), md.indexOf('## Journal'));
    expect(timeline.split('\n').filter((line) => line.startsWith('| 2026-11-'))).toHaveLength(80);
  });

  it('reproduces free text faithfully: nothing that merely looks secret is redacted or reworded', () => {
    const c = caseWithSecretLookingWords();
    expect(JSON.parse(exportCaseJson(c))).toEqual(c);
    const md = exportCaseMarkdown(c);
    expect(md).toContain(
      '> The temporary password and the TAP were given on the phone after the callback; no secret was written down. client_secret rotation is due.',
    );
    // The pipe is escaped so the journal row stays one row.
    expect(md).toContain('User asked whether the password "hunter2" policy applies \\| token \\| Bearer \\| secret questions are gone');
  });

  it('exports the stored case as pretty JSON, which holds no secret field', () => {
    const json = exportCaseJson(S.documented());
    expect(json).toMatch(/^\{\n {2}"id": "RC-7K2M9QXA",/);
    expect(JSON.parse(json)).toEqual(S.documented());
    expect(Object.keys(JSON.parse(json) as object)).not.toEqual(expect.arrayContaining(['secret', 'password', 'temporaryAccessPass']));
  });

  it('exports a case that never got a plan', () => {
    const md = exportCaseMarkdown(S.triaged(S.NOTHING_CHANGED_TRIAGE));
    expect(md).toContain('No plan was made.');
    expect(md).toContain('Approval was not requested.');
    expect(md).toContain('No relevant change in the audit window.');
  });
});
