import { loadDemoSeed, type TenantSeed } from '../../src/simulator';
import { USERS } from './demo-ids';

/** A demo user to copy: its object id and UPN (the mail nickname is the UPN's local part). */
export interface CopiedUser {
  readonly id: string;
  readonly upn: string;
}

/** The object id of a user's n-th copy: the user's id with the last group replaced. */
export function copyId(user: CopiedUser, n: number): string {
  return `${user.id.slice(0, 24)}${(0x100000 + n).toString(16).padStart(12, '0')}`;
}

/** The UPN of a user's n-th copy: lee@contoso.com → lee7@contoso.com. */
export function copyUpn(user: CopiedUser, n: number): string {
  const [local, domain] = user.upn.split('@');
  return `${local ?? ''}${n}@${domain ?? ''}`;
}

/**
 * The demo tenant plus copies of demo users: copy n of `users[(n - 1) % users.length]` has that user's profile,
 * state (active or soft-deleted), methods, backups, audit records and sign-ins under its own id and UPN, so a test can
 * run many recoveries side by side (one open case per target). Audit and sign-in ids get the copy number.
 */
export function seedWithCopies(count: number, users: readonly CopiedUser[] = [USERS.lee]): TenantSeed {
  const seed = loadDemoSeed();
  type Audit = NonNullable<TenantSeed['audits']>[number];
  type SignIn = NonNullable<TenantSeed['signIns']>[number];
  const allAudits = (seed.audits ??= []);
  const allSignIns = (seed.signIns ??= []);
  const renumber = (id: string, n: number): string => `${id.slice(0, -5)}${n.toString(16).padStart(5, '0')}`;
  for (let n = 1; n <= count; n++) {
    const original = users[(n - 1) % users.length];
    if (!original) throw new Error('no users to copy');
    const user = seed.users.find((u) => u.id === original.id);
    if (!user) throw new Error(`the demo seed has no ${original.upn}`);
    const nickname = original.upn.split('@')[0] ?? '';
    const rename = (value: unknown): string =>
      JSON.stringify(value)
        .split(original.id)
        .join(copyId(original, n))
        .split(original.upn)
        .join(copyUpn(original, n))
        .split(`"mailNickname":"${nickname}"`)
        .join(`"mailNickname":"${nickname}${n}"`);
    seed.users.push(JSON.parse(rename(user)) as (typeof seed.users)[number]);
    for (const a of allAudits.filter((x) => JSON.stringify(x).includes(original.id))) {
      const copy = JSON.parse(rename(a)) as Audit;
      allAudits.push({ ...copy, id: renumber(copy.id, n) });
    }
    for (const s of allSignIns.filter((x) => JSON.stringify(x).includes(original.id))) {
      const copy = JSON.parse(rename(s)) as SignIn;
      allSignIns.push({ ...copy, id: renumber(copy.id, n) });
    }
  }
  return seed;
}
