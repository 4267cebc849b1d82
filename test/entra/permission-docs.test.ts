import { readFileSync } from 'node:fs';
import { PERMISSIONS_END, PERMISSIONS_START, permissionSection, withPermissionSection } from '../../src/entra/permission-docs';
import { ALL_REQUESTS, PERMISSIONS_TO_GRANT } from '../../src/entra/graph-requests';
import { DEPLOY_DOC } from '../../scripts/docs-permissions';

describe("docs/deploy.md's permission section is the registry's", () => {
  const doc = readFileSync(DEPLOY_DOC, 'utf8');

  it('is exactly what `npm run docs:permissions` generates from the registry (run it after changing the registry)', () => {
    expect(withPermissionSection(doc)).toBe(doc);
  });

  it("lists exactly the registry's permission set, each with a reference page, and a row per request", () => {
    const section = doc.slice(doc.indexOf(PERMISSIONS_START), doc.indexOf(PERMISSIONS_END));
    const list = section.slice(section.indexOf('So the set to grant'), section.indexOf('Where the reference is ambiguous'));
    const granted = [...list.matchAll(/^- `([\w.-]+)`: (.+)$/gm)].map(([, permission, pages]) => ({ permission, pages }));
    expect(granted.map((g) => g.permission)).toEqual([...PERMISSIONS_TO_GRANT]);
    for (const g of granted) expect(g.pages).toMatch(/^\[[^\]]+\]\(https:\/\/learn\.microsoft\.com\/graph\//);
    for (const r of ALL_REQUESTS) expect(section).toContain(`| \`${r.id}\` |`);
  });

  it('notices a document that differs, and one without the markers', () => {
    const edited = doc.replace('| `users.get` |', '| `users.get (edited)` |');
    expect(withPermissionSection(edited)).not.toBe(edited);
    expect(withPermissionSection(edited)).toBe(doc);
    expect(() => withPermissionSection('# no section')).toThrow(/has no <!-- permissions:start/);
    expect(permissionSection().startsWith(PERMISSIONS_START)).toBe(true);
  });
});
