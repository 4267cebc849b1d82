import { join } from 'node:path';
import { CardRenderer, type CardName } from '../../src/views/card-renderer';
import { helpView } from '../../src/views/help-view';
import { intakeView } from '../../src/views/intake-view';
import { ALL_VERBS, Verb } from '../../src/views/verbs';
import { htmlLikeTags, parseProblems, textsOf, verbsOf } from '../helpers/card-checks';
import { sampleCase } from '../helpers/sample-cases';
import { SAMPLES } from './card-samples';
import { anyActionsOf } from './card-queries';

const CARDS = join(__dirname, '..', '..', 'cards');
/** Action.Execute verbs the bot handles. */
const KNOWN_VERBS: readonly string[] = ALL_VERBS;
const MAX_ACTIVITY_BYTES = 28 * 1024;

describe('card templates', () => {
  const demo = new CardRenderer(CARDS, true);
  const production = new CardRenderer(CARDS, false);

  it('has sample data for every template in cards/', () => {
    expect(demo.templateNames().sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  const cases = Object.entries(SAMPLES).flatMap(([name, samples]) => samples.map(([label, data]) => [name as CardName, label, data] as const));

  it.each(cases)('%s renders for %s as a valid version 1.5 card under 28 KB', (name, _label, data) => {
    const attachment = demo.render(name, data);
    const json = JSON.stringify({ type: 'message', attachments: [attachment] });
    expect(attachment.content.version).toBe('1.5');
    expect(Buffer.byteLength(json, 'utf8')).toBeLessThan(MAX_ACTIVITY_BYTES);
    expect(json).not.toContain('${');
    expect(parseProblems(attachment.content)).toEqual([]);
    for (const verb of verbsOf(attachment.content)) expect(KNOWN_VERBS).toContain(verb);
  });

  it.each(cases)('%s for %s says SIMULATED TENANT in demo mode only', (name, _label, data) => {
    expect(textsOf(demo.render(name, data).content)[0]).toMatch(/^SIMULATED TENANT/);
    expect(textsOf(production.render(name, data).content).join('\n')).not.toContain('SIMULATED TENANT');
  });

  const STEP_VERBS: readonly string[] = [
    Verb.confirmGuided,
    Verb.recordIdentity,
    Verb.verifiedId,
    Verb.requestFallback,
    Verb.approveFallback,
    Verb.refuseFallback,
    Verb.accountRecovery,
    Verb.checkAccountRecovery,
    Verb.revealPassword,
    Verb.revealTap,
    Verb.skipStep,
    Verb.retryStep,
  ];
  it.each(cases)(
    '%s for %s: action data carries only the case (or incident) id, its version, its signature and, for step actions, the step id',
    (name, _label, data) => {
      const card = production.render(name, data).content;
      const idField = name === 'incident' ? 'incidentId' : 'caseId';
      for (const action of anyActionsOf(card)) {
        const payload = action.data as Record<string, unknown>;
        const stepAction = STEP_VERBS.includes(action.verb as string);
        expect(Object.keys(payload).sort()).toEqual(stepAction ? ['caseId', 'sig', 'stepId', 'version'] : [idField, 'sig', 'version'].sort());
        expect(payload[idField]).toBe(name === 'incident' ? 'IN-7K2M9QXA' : 'RC-7K2M9QXA');
        expect(typeof payload.version).toBe('number');
        if (stepAction) expect(payload.stepId).toMatch(/^s\d{2}$/);
      }
    },
  );

  it.each(cases)('%s for %s: no angle-bracket placeholder that Teams would take for an HTML tag', (name, _label, data) => {
    expect(htmlLikeTags(production.render(name, data).content)).toEqual([]);
  });

  it('the placeholder check can fail: "recover <upn>" is reported, a Teams mention is not', () => {
    expect(htmlLikeTags({ text: 'recover <upn> for <at>Alex Wilber</at>', placeholder: 'incident <actor> last <N>h' })).toEqual(['<upn>', '<actor>', '<N>']);
  });

  it('help says how to address the bot: with the @mention in a channel, the command alone in a 1:1 chat', () => {
    const help = textsOf(production.render('help', helpView()).content).join('\n');
    expect(help).toContain('**@Entra Recovery recover adele@contoso.com**');
    expect(help).toMatch(/In a 1:1 chat with me, post the command alone: \*\*recover adele@contoso\.com\*\*/);
    expect(help).toContain('**recover** _user principal name or object id_');
  });

  it('the parser check can fail: an unknown element is reported', () => {
    expect(parseProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'NotAnElement' }] }).length).toBeGreaterThan(0);
  });

  it('shows the intake facts a helpdesk agent needs', () => {
    const texts = textsOf(production.render('intake', intakeView(sampleCase())).content).join('\n');
    expect(texts).toContain('Recovery case RC-7K2M9QXA');
    expect(texts).toContain('Adele Vance (adele@contoso.com)');
    expect(texts).toContain('FIDO2 security key / passkey');
    expect(texts).toContain('YubiKey 5 NFC');
    expect(texts).toContain('Privileged target');
    const soft = textsOf(
      production.render(
        'intake',
        intakeView(
          sampleCase({
            kind: 'softDeleted',
            deletedDateTime: '2026-11-22T08:00:00Z',
            user: { id: 'd', displayName: 'Diego', userPrincipalName: 'diego@contoso.com' },
          }),
        ),
      ).content,
    ).join('\n');
    expect(soft).toContain('Soft-deleted on 2026-11-22 08:00 UTC');
    expect(soft).toContain('cannot be read until the user is restored');
  });
});
