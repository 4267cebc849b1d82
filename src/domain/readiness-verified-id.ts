import type { ReadinessCheck } from './readiness';
import type { VerificationPolicy } from './verified-id';

/**
 * What the readiness report knows of the bot's own Verified ID set-up: its configuration, not a read of the tenant
 * (no API the bot may call tells whether the authority, the permission or Face Check work; `npm run smoke` probes the
 * token). Structurally the VERIFIED_ID_* settings (src/verified-id-settings.ts), which the domain does not import.
 */
export interface VerifiedIdReadiness extends VerificationPolicy {
  readonly authority: string;
}

/** The Face Check API's default threshold (50–100, default 70), which this bot also takes as its floor. */
const API_DEFAULT_THRESHOLD = 70;
const VID = 'https://learn.microsoft.com/en-us/entra/verified-id';

/**
 * The identity check the bot runs itself (issue 17): configured or not, and with what. Without it, the malicious
 * playbook's Temporary Access Pass needs a manual verification recorded with its evidence note and one more approval.
 */
function configured(settings: VerifiedIdReadiness | undefined): ReadinessCheck {
  const base = {
    id: 'verifiedId.configured' as const,
    title: 'Identity verification with Verified ID and Face Check',
    recommendation:
      'Use identity verification (recommended) before a Temporary Access Pass: Verified ID with Face Check, the higher-assurance alternative to a pass given on a phone call.',
    fix: { text: 'Set up the helpdesk verification with Verified ID and Face Check (docs/deploy.md, Verified ID)', url: `${VID}/helpdesk-with-verified-id` },
  };
  if (!settings) {
    return {
      ...base,
      status: 'warn',
      summary:
        'Not configured (VERIFIED_ID_AUTHORITY unset): the bot cannot verify a caller itself, so a malicious recovery\u2019s pass needs a manual method with an evidence note and one more approval.',
      items: [],
    };
  }
  const issuers = settings.acceptedIssuers.length;
  const own = settings.acceptedIssuers.includes(settings.authority) ? 'the tenant\u2019s own' : 'none from the tenant\u2019s own authority';
  return {
    ...base,
    status: settings.faceMatchThreshold < API_DEFAULT_THRESHOLD ? 'fail' : 'pass',
    summary: `${settings.credentialType} from ${issuers} accepted issuer(s) (${own}), linked domain ${settings.linkedDomains.join(', ')}, Face Check threshold ${settings.faceMatchThreshold} (API default ${API_DEFAULT_THRESHOLD}).`,
    items: [`authority ${settings.authority}`, ...settings.acceptedIssuers.map((d) => `accepted issuer ${d}`)],
  };
}

/**
 * Face Check is a paid add-on, enabled on the Verified ID overview page by linking an Azure subscription
 * (https://learn.microsoft.com/en-us/entra/verified-id/using-facecheck); no API the bot holds a permission for reads it,
 * so the report says to check it by hand instead of claiming a pass. Without it every presentation fails.
 */
function faceCheckLicence(): ReadinessCheck {
  return {
    id: 'verifiedId.faceCheckAddOn',
    title: 'Face Check add-on (licence)',
    status: 'manual',
    summary:
      'Cannot be read by the bot: check that Entra admin center > Verified ID > Overview shows the Face Check add-on linked to an Azure subscription (or that Entra Suite covers it).',
    items: [],
    recommendation: 'Face Check needs its add-on enabled; without it, the identity check cannot pass.',
    fix: { text: 'Enable the Face Check add-on', url: `${VID}/using-facecheck` },
  };
}

/** The Verified ID checks: whether it is configured and, when it is, the licence item to check by hand. */
export function verifiedIdChecks(settings: VerifiedIdReadiness | undefined): ReadinessCheck[] {
  return settings ? [configured(settings), faceCheckLicence()] : [configured(undefined)];
}
