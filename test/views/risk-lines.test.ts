import { join } from 'node:path';
import { approvalView } from '../../src/views/approval-view';
import { CardRenderer } from '../../src/views/card-renderer';
import { exportCaseJson, exportCaseMarkdown } from '../../src/views/export-case';
import { intakeView } from '../../src/views/intake-view';
import { summaryView } from '../../src/views/summary-view';
import { textsOf } from '../helpers/card-checks';
import { sampleCase } from '../helpers/sample-cases';
import { EVERY_RISK, LONG_OVERRIDE_REASON, LONG_RISK_TAIL, withEveryRisk } from '../helpers/sample-risks';
import * as S from './sample-states';

const cards = new CardRenderer(join(__dirname, '..', '..', 'cards'), false);
const cardText = (name: 'intake' | 'approval' | 'summary', data: object): string => textsOf(cards.render(name, data).content).join('\n');

describe('helpdesk-attack risks on the cards, the summary and the export', () => {
  it('the summary card shows each risk with its code and consequence, why approvals were raised, and the override', () => {
    const text = cardText('summary', summaryView(withEveryRisk(S.documented())));
    for (const r of EVERY_RISK) expect(text).toContain(r.code);
    expect(text).toContain('+1 approval');
    expect(text).toContain('needs an override with a reason');
    expect(text).toContain('shown only');
    expect(text).toContain(
      '3 approval(s) needed: 2 from the privileged approvers (privileged target), raised by RISK.TARGET_RECENTLY_RECOVERED, RISK.REQUESTER_RECENTLY_RECOVERED',
    );
    expect(text).toContain('Risks overridden by Megan Bowen at 2026-11-18 12:05 UTC. Reason: Outage of the Authenticator push.');
  });

  it('the export has each risk in full (the card shortens), and the override reason', () => {
    const md = exportCaseMarkdown(withEveryRisk(S.documented()));
    for (const r of EVERY_RISK) expect(md).toContain(`- ${r.code} (`);
    expect(md).toContain(LONG_RISK_TAIL);
    expect(md).toContain(`> Outage of the Authenticator push. ${LONG_OVERRIDE_REASON}`);
    expect(JSON.parse(exportCaseJson(withEveryRisk(S.documented())))).toMatchObject({ risks: EVERY_RISK, riskOverride: { by: S.MEGAN } });
    expect(exportCaseMarkdown(S.documented())).toContain('## Helpdesk-attack risks\n\nNone flagged when the case opened.');
  });

  it('the intake card asks for the override before approval, and the approval card tells approvers why more approvals are needed', () => {
    const intake = cardText('intake', intakeView(withEveryRisk(sampleCase(), false)));
    for (const r of EVERY_RISK) expect(intake).toContain(r.code);
    expect(intake).toContain(
      'Approval can be requested only after the requester overrides these risks with a reason: "override RC-7K2M9QXA" followed by the reason.',
    );
    const approval = cardText('approval', approvalView(withEveryRisk(S.awaiting('malicious', 3)), S.APPROVERS));
    expect(approval).toContain('3 approval(s) needed');
    expect(approval).toContain('RISK.OUTSIDE_WORKING_HOURS');
    expect(cardText('intake', intakeView(sampleCase()))).not.toContain('Helpdesk-attack risks');
  });
});
