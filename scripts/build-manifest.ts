/**
 * `npm run manifest`: builds manifest/build/entra-recovery-bot.zip, the package to upload to Teams.
 *
 * Reads MicrosoftAppId (required), APP_VERSION (default 1.0.0) and BOT_DOMAIN (optional) from the environment,
 * or from ./.env when present (the environment wins). Exits 1 with the reason when anything is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parseManifestConfig } from '../src/config';
import { buildManifestZip, MANIFEST_SOURCE_DIR } from '../src/manifest/build-manifest-zip';

type Env = Record<string, string | undefined>;

/** The process environment over the variables in `envFile`, if that file exists. */
export function readBuildEnv(env: Env = process.env, envFile = path.resolve('.env')): Env {
  const fromFile = existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};
  return { ...fromFile, ...env };
}

async function main(): Promise<number> {
  let values;
  try {
    values = parseManifestConfig(readBuildEnv());
  } catch (error) {
    console.error(`Cannot build the Teams app package: ${error instanceof Error ? error.message : String(error)}`);
    console.error(
      'Set them in the environment or in .env: MicrosoftAppId (required, the Azure Bot app id), APP_VERSION (default 1.0.0), BOT_DOMAIN (optional host name).',
    );
    return 1;
  }
  try {
    const { zipPath } = await buildManifestZip(values, path.join(MANIFEST_SOURCE_DIR, 'build'));
    console.log(`Teams app package for bot ${values.botId}, version ${values.appVersion}:\n  ${zipPath}`);
    console.log('Upload it in Teams (Apps > Manage your apps > Upload an app) or through Teams admin center.');
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
