import { ErrorCode, fail, ok, type Result } from './errors';

/** Who the helpdesk agent asked us to recover: an Entra object id or a user principal name. */
export type TargetRef = { readonly kind: 'objectId'; readonly id: string } | { readonly kind: 'upn'; readonly upn: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A UPN is local@domain; the local part allows the characters Entra accepts, the domain needs a dot.
const UPN = /^[A-Za-z0-9._%+'!#$&*/=?^`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const USAGE = 'Usage: **recover** _user principal name or object id_, for example **recover adele@contoso.com**.';

/**
 * Parses the argument of `recover`. Teams often turns an address into a mailto link (`<a href="mailto:x">x</a>`)
 * or wraps it in markdown; those wrappers are removed before checking. Anything else is refused with the usage.
 */
export function parseTargetRef(raw: string): Result<TargetRef> {
  const text = raw
    .replace(/<a\s[^>]*href="mailto:([^"]+)"[^>]*>[^<]*<\/a>/gi, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/^\s*[`'"<[(]+|[`'">\])]+\s*$/g, '')
    .trim();
  if (text.length === 0) return fail(ErrorCode.InputMalformed, `Tell me who to recover. ${USAGE}`);
  if (/\s/.test(text)) return fail(ErrorCode.InputMalformed, `Give exactly one user. ${USAGE}`);
  if (GUID.test(text)) return ok({ kind: 'objectId', id: text.toLowerCase() });
  if (text.length <= 113 && UPN.test(text)) return ok({ kind: 'upn', upn: text.toLowerCase() });
  return fail(ErrorCode.InputMalformed, `"${truncate(text)}" is neither a user principal name nor an object id. ${USAGE}`);
}

export function describeTargetRef(ref: TargetRef): string {
  return ref.kind === 'objectId' ? ref.id : ref.upn;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
