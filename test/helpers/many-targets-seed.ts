import { loadDemoSeed, type TenantSeed } from '../../src/simulator';
import { USERS } from './demo-ids';

/** The object id of Lee's n-th copy: Lee's id with the last group replaced. */
export function leeCopyId(n: number): string {
  return `${USERS.lee.id.slice(0, 24)}${(0x100000 + n).toString(16).padStart(12, '0')}`;
}

export const leeCopyUpn = (n: number): string => `lee${n}@contoso.com`;

/**
 * The demo tenant plus `count` copies of Lee Gu, each with Lee's methods, backups, audit records (the 02:14 attack)
 * and sign-ins under its own id and UPN, so a test can run many malicious recoveries side by side (one open case per
 * target). Audit and sign-in ids get the copy number in their last group.
 */
export function seedWithLeeCopies(count: number): TenantSeed {
  const seed = loadDemoSeed();
  const lee = seed.users.find((u) => u.id === USERS.lee.id);
  if (!lee) throw new Error('the demo seed has no Lee');
  const leeJson = (value: unknown, n: number): string =>
    JSON.stringify(value).split(USERS.lee.id).join(leeCopyId(n)).split(USERS.lee.upn).join(leeCopyUpn(n)).split('"mailNickname":"lee"').join(`"mailNickname":"lee${n}"`);
  const renumber = (id: string, n: number): string => `${id.slice(0, -5)}${n.toString(16).padStart(5, '0')}`;
  type Audit = NonNullable<TenantSeed['audits']>[number];
  type SignIn = NonNullable<TenantSeed['signIns']>[number];
  const allAudits = (seed.audits ??= []);
  const allSignIns = (seed.signIns ??= []);
  const audits = allAudits.filter((a) => JSON.stringify(a).includes(USERS.lee.id));
  const signIns = allSignIns.filter((s) => JSON.stringify(s).includes(USERS.lee.id));
  for (let n = 1; n <= count; n++) {
    seed.users.push(JSON.parse(leeJson(lee, n)) as (typeof seed.users)[number]);
    for (const a of audits) {
      const copy = JSON.parse(leeJson(a, n)) as Audit;
      allAudits.push({ ...copy, id: renumber(copy.id, n) });
    }
    for (const s of signIns) {
      const copy = JSON.parse(leeJson(s, n)) as SignIn;
      allSignIns.push({ ...copy, id: renumber(copy.id, n) });
    }
  }
  return seed;
}
