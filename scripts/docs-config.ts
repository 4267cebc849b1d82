/**
 * `npm run docs:config`: writes docs/configuration.md's variable table (between its markers) and the whole of
 * .env.example from the list of variables (src/config-variables.ts). test/config/config-docs.test.ts fails when either differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envExample, withVariableTable } from '../src/config-docs';

export const CONFIGURATION_DOC = join(__dirname, '..', 'docs', 'configuration.md');
export const ENV_EXAMPLE = join(__dirname, '..', '.env.example');

function write(path: string, after: string, name: string): void {
  const before = readFileSync(path, 'utf8');
  if (after === before) console.log(`${name} is up to date.`);
  else {
    writeFileSync(path, after);
    console.log(`${name} was written from src/config-variables.ts.`);
  }
}

if (require.main === module) {
  write(CONFIGURATION_DOC, withVariableTable(readFileSync(CONFIGURATION_DOC, 'utf8')), 'docs/configuration.md');
  write(ENV_EXAMPLE, envExample(), '.env.example');
}
