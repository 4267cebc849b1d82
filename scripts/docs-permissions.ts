/**
 * `npm run docs:permissions`: writes docs/deploy.md's permission section (between its markers) from the Graph request
 * registry (src/entra/graph-requests.ts). test/entra/permission-docs.test.ts fails when the document differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withPermissionSection } from '../src/entra/permission-docs';

export const DEPLOY_DOC = join(__dirname, '..', 'docs', 'deploy.md');

if (require.main === module) {
  const before = readFileSync(DEPLOY_DOC, 'utf8');
  const after = withPermissionSection(before);
  if (after === before) console.log('docs/deploy.md: the permission section is up to date.');
  else {
    writeFileSync(DEPLOY_DOC, after);
    console.log('docs/deploy.md: the permission section was written from the registry.');
  }
}
