import { BACKUP_RETENTION_DAYS, snapshotFor } from './backup-restore';
import { SafeHtml, html } from './html';
import type { SimResponse } from './http-types';
import { methodLabel } from './method-catalog';
import { tapUsability } from './method-views';
import type { BackupSnapshot, StoredMethod, TenantState, UserRecord } from './tenant-state';
import { verifiedIdSection } from './verified-id/admin-section';
import type { SimulatedRequestService } from './verified-id/request-service';

export const ADMIN_PATH = '/_simulator/admin';
const TITLE = 'Simulated Entra admin center — demo only';

/** The page's only outside rules: inline styles, forms posting back here, nothing fetched or run. */
const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // Not no-referrer: under it a browser sends `Origin: null` with the page's own form posts, and the same-host check
  // in control.ts refuses them (found by test/e2e/browser-recovery.test.ts in Chromium).
  'Referrer-Policy': 'same-origin',
} as const;

const STYLE = new SafeHtml(`
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.demo { background: #fff4ce; border: 1px solid #e0c060; padding: .5rem .75rem; }
.notice { background: #dff6dd; border: 1px solid #6bb700; padding: .5rem .75rem; }
.error { background: #fde7e9; border: 1px solid #c50f1f; padding: .5rem .75rem; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { border: 1px solid #d1d1d1; padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f2f1; }
tr.deleted td { color: #605e5c; background: #faf9f8; }
ul { margin: 0; padding-left: 1.1rem; }
form { margin: 0 0 .4rem; }
button { cursor: pointer; }
small { color: #605e5c; }
`);

function when(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function detail(m: StoredMethod, tenant: TenantState, now: Date): string {
  switch (m.type) {
    case 'phone':
      return m.phoneNumber;
    case 'email':
      return m.emailAddress;
    case 'fido2':
      return `${m.displayName} (${m.model})`;
    case 'temporaryAccessPass': {
      const usability = tapUsability(m, now, tenant.authenticationMethodsPolicy);
      return `${m.isUsableOnce ? 'one-time' : 'multi-use'}, ${usability.isUsable ? 'usable' : `not usable: ${usability.methodUsabilityReason}`}`;
    }
    case 'password':
    case 'softwareOath':
    case 'qrCodePin':
      return '';
    case 'microsoftAuthenticator':
    case 'windowsHelloForBusiness':
    case 'platformCredential':
    case 'externalAuthentication':
    case 'hardwareOath':
      return m.displayName;
  }
}

function methodList(methods: readonly StoredMethod[], tenant: TenantState, now: Date): SafeHtml {
  const items = methods.map((m) => {
    const text = detail(m, tenant, now);
    return html`<li>${methodLabel(m)}${text ? `: ${text}` : ''} <small>${m.id}</small></li>`;
  });
  return html`<ul>
    ${items}
  </ul>`;
}

function backupCell(tenant: TenantState, user: UserRecord, active: boolean, now: Date): SafeHtml {
  const snapshots = tenant.backups.get(user.id) ?? [];
  if (snapshots.length === 0) return html`<small>no backup</small>`;
  const action = `/_simulator/backup/users/${encodeURIComponent(user.id)}/restore`;
  const latest = snapshotFor(tenant, user.id, undefined, now);
  const rows = snapshots.map((s: BackupSnapshot) => {
    const kept = snapshotFor(tenant, user.id, new Date(Date.parse(s.snapshotAt) + 1000), now) === s;
    const label = `Snapshot ${when(s.snapshotAt)}: ${s.methods.length} method(s)`;
    if (!active || !kept) return html`<div><small>${label}${kept ? '' : ' (expired)'}</small></div>`;
    // One button per kept snapshot; the latest needs no time, older ones restore "the latest snapshot before" just after them.
    const before = s === latest ? null : html`<input type="hidden" name="snapshotBefore" value="${new Date(Date.parse(s.snapshotAt) + 1000).toISOString()}" />`;
    return html`<form method="post" action="${action}"><small>${label}</small><br />${before}<button type="submit">Restore from backup</button></form>`;
  });
  return html`${rows}`;
}

function actions(user: UserRecord): SafeHtml {
  const id = encodeURIComponent(user.id);
  return html`<form method="post" action="/_simulator/users/${id}/sign-in">
      <select name="method" aria-label="Sign-in method">
        <option value="fido2">FIDO2 key</option>
        <option value="temporaryAccessPass">Temporary Access Pass</option>
        <option value="microsoftAuthenticator">Authenticator</option>
      </select>
      <input name="temporaryAccessPass" placeholder="TAP (optional)" size="12" autocomplete="off" />
      <button type="submit">User signs in (FIDO2 / TAP / Authenticator)</button>
    </form>
    <form method="post" action="/_simulator/users/${id}/register-method">
      <input type="hidden" name="type" value="fido2" /> <input name="displayName" placeholder="Key name (optional)" size="16" />
      <button type="submit">User registers a FIDO2 key</button>
    </form>
    <form method="post" action="/_simulator/users/${id}/account-recovery" id="account-recovery-${user.id}">
      <select name="outcome" aria-label="Account Recovery outcome">
        <option value="completes">completes (TAP, then a passkey)</option>
        <option value="failsFaceCheck">fails the face check</option>
        <option value="notMatched">not matched (names differ)</option>
        <option value="abandoned">abandoned after starting</option>
      </select>
      <button type="submit">User runs Account Recovery</button><br />
      <small>Self-service at sign-in; audit event names are provisional.</small>
    </form>`;
}

function userRow(tenant: TenantState, user: UserRecord, deletedDateTime: string | null, now: Date): SafeHtml {
  const active = deletedDateTime === null;
  const status = active ? (user.accountEnabled ? 'Active' : 'Active (sign-in blocked)') : `Soft-deleted ${when(deletedDateTime)}`;
  const methods = methodList(tenant.methods.get(user.id) ?? [], tenant, now);
  const todo = active ? actions(user) : html`<small>Restore the user from deleted items first.</small>`;
  return html`<tr class="${active ? 'active' : 'deleted'}" id="user-${user.id}">
    <td><strong>${user.displayName}</strong><br /><small>${user.userPrincipalName}</small><br /><small>${user.id}</small></td>
    <td>${status}</td>
    <td>${methods}</td>
    <td>${backupCell(tenant, user, active, now)}</td>
    <td>${todo}</td>
  </tr>`;
}

/** The demo app's Graph permissions, editable as an administrator edits API permissions and grants admin consent. */
function appGrants(tenant: TenantState): SafeHtml {
  const app = tenant.callerApp;
  return html`<h2>App permissions</h2>
    <form method="post" action="/_simulator/app/permissions">
      <p>
        <small
          >${app.displayName} (${app.appId}): Microsoft Graph application permissions granted with admin consent, one per line. The bot's tokens carry them as
          roles; a token issued before a change keeps its roles until it expires (about an hour).</small
        >
      </p>
      <textarea name="grantedPermissions" rows="${String(Math.max(app.grantedPermissions.length, 3))}" cols="48">${app.grantedPermissions.join('\n')}</textarea
      ><br />
      <button type="submit">Grant these permissions</button>
    </form>`;
}

/** What POST /users/{sender}/sendMail accepted, newest first: the demo's stand-in for the recipients' inboxes. */
function outbox(tenant: TenantState): SafeHtml {
  const mails = [...tenant.outbox].reverse();
  return html`<h2>Outbox (sendMail)</h2>
    ${
      mails.length === 0
        ? html`<p><small>No mail sent yet.</small></p>`
        : html`<table>
            <thead>
              <tr>
                <th>Sent</th>
                <th>From</th>
                <th>To</th>
                <th>Subject and text</th>
              </tr>
            </thead>
            <tbody>
              ${mails.map(
                (m) =>
                  html`<tr>
                    <td>${when(m.at)}</td>
                    <td>${m.from}</td>
                    <td>${m.to.join(', ')}</td>
                    <td><strong>${m.subject}</strong><br />${m.content}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
}

/** GET /_simulator/admin: the users, their methods and backups, and buttons for the demo's human steps. */
export function adminPage(tenant: TenantState, now: Date, query: URLSearchParams, verifiedId?: SimulatedRequestService): SimResponse {
  const byName = (a: UserRecord, b: UserRecord): number => a.displayName.localeCompare(b.displayName);
  const rows = [
    ...[...tenant.users.values()].sort(byName).map((u) => userRow(tenant, u, null, now)),
    ...[...tenant.deletedUsers.values()].sort(byName).map((u) => userRow(tenant, u, u.deletedDateTime, now)),
  ];
  const notice = query.get('notice');
  const error = query.get('error');
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${TITLE}</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <h1>${TITLE}</h1>
        <p class="demo">
          ${tenant.tenant.displayName}, simulator clock ${when(now.toISOString())}. This is not Microsoft Entra: it plays the demo's human steps (a Backup
          Administrator restoring a user with Microsoft Entra Backup and Recovery, the user signing in or registering security info) against the simulated
          tenant.
        </p>
        ${notice === null ? null : html`<p class="notice" role="status">${notice}</p>`}${error === null ? null : html`<p class="error" role="alert">${error}</p>`}
        <table>
          <thead>
            <tr>
              <th>User</th>
              <th>Status</th>
              <th>Authentication methods</th>
              <th>Backup (kept ${BACKUP_RETENTION_DAYS} days)</th>
              <th>Human steps</th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
        ${verifiedId ? verifiedIdSection(verifiedId, now) : null} ${appGrants(tenant)} ${outbox(tenant)}
        <p>
          <small
            >Control endpoints: POST /_simulator/backup/users/{id}/restore, POST /_simulator/users/{id}/sign-in, POST /_simulator/users/{id}/register-method,
            POST /_simulator/users/{id}/account-recovery, PUT /_simulator/app/permissions, GET /_simulator/outbox (see src/simulator/README.md).</small
          >
        </p>
      </body>
    </html> `;
  return { status: 200, headers: HEADERS, text: page.value };
}

/** The answer to a form post: 303 back to the page, with what happened. */
export function backToAdmin(message: { notice: string } | { error: string }): SimResponse {
  const query = new URLSearchParams('notice' in message ? { notice: message.notice } : { error: message.error });
  return { status: 303, headers: { Location: `${ADMIN_PATH}?${query.toString()}` } };
}
