import { html, type SafeHtml } from '../html';
import type { PresentationRecord, SimulatedRequestService } from './request-service';
import type { WalletCard } from './wallet';

/** The Face Check score the "present my card" form starts with. */
const DEFAULT_SCORE = 92;

function when(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** The cards the target's phone holds that a scenario button presents; undefined where the wallet has none. */
interface ScenarioCards {
  /** The target's own card from an accepted issuer, valid, issued first. */
  readonly own?: WalletCard;
  readonly revoked?: WalletCard;
  /** The target's most recent valid card from an accepted issuer, when it is not `own`: issued later (after a compromise, in the demo). */
  readonly recent?: WalletCard;
  readonly otherIssuer?: WalletCard;
}

function scenarioCards(cards: readonly WalletCard[], record: PresentationRecord): { all: WalletCard[]; chosen: ScenarioCards } {
  const requested = record.request.requestedCredentials[0];
  const targets = new Set(requested?.constraints.flatMap((c) => ('values' in c ? c.values.map((v) => v.toLowerCase()) : [])) ?? []);
  const all = cards.filter((c) => targets.has(c.holder.toLowerCase()));
  const accepted = (c: WalletCard): boolean => !requested || requested.acceptedIssuers.length === 0 || requested.acceptedIssuers.includes(c.issuer);
  const mine = (c: WalletCard): boolean => targets.has((c.claims['revocationId'] ?? '').toLowerCase()) && c.type.includes(requested?.type ?? '');
  const valid = all.filter((c) => mine(c) && accepted(c) && c.revocationStatus === 'VALID').sort((a, b) => a.issuanceDate.localeCompare(b.issuanceDate));
  const own = valid[0];
  const recent = valid.length > 1 ? valid[valid.length - 1] : undefined;
  const revoked = all.find((c) => mine(c) && accepted(c) && c.revocationStatus === 'REVOKED');
  const otherIssuer = all.find((c) => mine(c) && !accepted(c));
  return { all, chosen: { ...(own ? { own } : {}), ...(recent ? { recent } : {}), ...(revoked ? { revoked } : {}), ...(otherIssuer ? { otherIssuer } : {}) } };
}

function presentForm(record: PresentationRecord, key: string, card: WalletCard | undefined, label: string, score: number): SafeHtml | null {
  if (!card) return null;
  const id = encodeURIComponent(record.requestId);
  return html`<form method="post" action="/_simulator/verifiedid/requests/${id}/present" id="vid-${key}-${record.requestId}">
    <input type="hidden" name="cardId" value="${card.id}" /><input type="hidden" name="faceScore" value="${String(score)}" />
    <button type="submit">${label}</button> <small>${card.label}, issued ${when(card.issuanceDate)}</small>
  </form>`;
}

function openRequest(service: SimulatedRequestService, record: PresentationRecord): SafeHtml {
  const id = encodeURIComponent(record.requestId);
  const threshold = record.request.requestedCredentials[0]?.faceCheck?.matchConfidenceThreshold ?? 70;
  const { all, chosen } = scenarioCards(service.wallet.cards, record);
  const options = all.map((c) => html`<option value="${c.id}" ${c === chosen.own ? 'selected' : ''}>${c.label} (${c.id})</option>`);
  return html`<div>
    <form method="post" action="/_simulator/verifiedid/requests/${id}/retrieve" id="vid-retrieve-${record.requestId}">
      <button type="submit">Open the link</button> <small>the user scans the QR code or opens the link: request_retrieved</small>
    </form>
    <form method="post" action="/_simulator/verifiedid/requests/${id}/present" id="vid-present-${record.requestId}">
      <select name="cardId" aria-label="Card to present">
        ${options}
      </select>
      face match <input name="faceScore" type="number" min="0" max="100" value="${String(DEFAULT_SCORE)}" size="4" aria-label="Face match score" />%
      <button type="submit">Present my card with this face match</button>
    </form>
    ${presentForm(record, 'face-fail', chosen.own, 'Fail the face check', Math.max(0, threshold - 25))}
    ${presentForm(record, 'revoked', chosen.revoked, 'Present a revoked card', DEFAULT_SCORE)}
    ${presentForm(record, 'after-compromise', chosen.recent, 'Present a card issued after the compromise', DEFAULT_SCORE)}
    ${presentForm(record, 'other-issuer', chosen.otherIssuer, 'Present another issuer\u2019s card', DEFAULT_SCORE)}
    <form method="post" action="/_simulator/verifiedid/requests/${id}/expire" id="vid-expire-${record.requestId}">
      <button type="submit">Never answer</button> <small>the request expires and nothing is sent</small>
    </form>
  </div>`;
}

function requestRow(service: SimulatedRequestService, record: PresentationRecord, now: Date): SafeHtml {
  const requested = record.request.requestedCredentials[0];
  const target = requested?.constraints.flatMap((c) => ('values' in c ? [...c.values] : [])).join(', ') ?? '';
  const expired = service.expired(record, now);
  const open = !expired && (record.state === 'created' || record.state === 'retrieved');
  const sent = record.callbacks.map((c) => html`<li>${c.requestStatus} at ${when(c.sentAt)}: ${c.outcome === 'pending' ? 'sending' : String(c.outcome)}</li>`);
  return html`<tr id="vid-request-${record.requestId}">
    <td>
      <small>${record.requestId}</small><br />${requested?.type ?? ''} for <strong>${target}</strong><br /><small
        >threshold ${String(requested?.faceCheck?.matchConfidenceThreshold ?? '-')}</small
      >
    </td>
    <td>
      ${expired ? 'expired' : record.state}<br /><small>created ${when(record.createdAt)}, expires ${when(new Date(record.expiry * 1000).toISOString())}</small>
    </td>
    <td>
      <ul>
        ${sent}
      </ul>
    </td>
    <td>${open ? openRequest(service, record) : html`<small>closed</small>`}</td>
  </tr>`;
}

/** The admin page's Verified ID section: each presentation request, and for an open one the buttons of a person playing the user. */
export function verifiedIdSection(service: SimulatedRequestService, now: Date): SafeHtml {
  const records = [...service.requests.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const body =
    records.length === 0
      ? html`<p><small>No presentation request yet: the bot creates one when an agent starts an identity check.</small></p>`
      : html`<table id="verified-id-requests">
          <thead>
            <tr>
              <th>Request</th>
              <th>State</th>
              <th>Callbacks sent (bot's answer)</th>
              <th>The user, with Authenticator</th>
            </tr>
          </thead>
          <tbody>
            ${records.map((r) => requestRow(service, r, now))}
          </tbody>
        </table>`;
  return html`<h2>Verified ID presentation requests</h2>
    <p>
      <small
        >The simulated Request Service (authority ${service.wallet.authority}). A person plays the user holding Microsoft Authenticator: each button sends the
        callback the real service would send.</small
      >
    </p>
    ${body}`;
}
