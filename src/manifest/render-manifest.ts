/**
 * Turns the Teams app manifest template (manifest/manifest.json) into the manifest that goes into the app package.
 *
 * Placeholders are substituted in the parsed JSON, string by string, so a value can never break the JSON
 * structure. Values are checked first, because Teams rejects a package with a non-GUID id or a non-numeric version
 * only at upload time, with a much less helpful message.
 */

/** What the template needs. `botId` is the Azure Bot's Microsoft App Id (env `MicrosoftAppId`); it is also the app id. */
export interface ManifestValues {
  readonly botId: string;
  readonly appVersion: string;
  /** Host name the bot is served from, for `validDomains`. Absent or empty: `validDomains` is []. */
  readonly botDomain?: string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** MAJOR.MINOR.PATCH, numbers only: the `semver` definition in the Teams manifest schema (no pre-release, no build). */
const APP_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/**
 * Renders the manifest template with `values`.
 * @throws Error naming the field when a value is malformed, when the template is not a JSON object,
 *   or when any `${{...}}` placeholder is left unreplaced.
 */
export function renderManifest(template: string, values: ManifestValues): JsonObject {
  const substitutions = checkValues(values);

  let parsed: JsonValue;
  try {
    parsed = JSON.parse(template) as JsonValue;
  } catch (error) {
    throw new Error(`Manifest template is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isJsonObject(parsed)) throw new Error('Manifest template must be a JSON object.');

  const rendered = substitute(parsed, substitutions);
  if (!isJsonObject(rendered)) throw new Error('Manifest template must be a JSON object.');

  // An empty BOT_DOMAIN leaves "" in validDomains; Teams wants the entry gone, not empty.
  const domains = rendered['validDomains'];
  if (Array.isArray(domains)) rendered['validDomains'] = domains.filter((d) => d !== '');

  const leftovers = findPlaceholders(rendered);
  if (leftovers.length > 0) {
    throw new Error(
      `Manifest template has placeholders with no value: ${leftovers.join(', ')}. ` +
        `Known placeholders are ${Object.keys(substitutions)
          .map((k) => `\${{${k}}}`)
          .join(', ')}.`,
    );
  }
  return rendered;
}

function checkValues(values: ManifestValues): Record<string, string> {
  const botId = values.botId.trim();
  if (!GUID.test(botId)) {
    throw new Error(
      `botId "${values.botId}" is not a GUID. Set MicrosoftAppId to the Azure Bot's Microsoft App Id ` + '(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).',
    );
  }
  const appVersion = values.appVersion.trim();
  if (!APP_VERSION.test(appVersion)) {
    throw new Error(`appVersion "${values.appVersion}" is not a version Teams accepts: use MAJOR.MINOR.PATCH with numbers only, e.g. 1.0.0 (APP_VERSION).`);
  }
  const botDomain = (values.botDomain ?? '').trim();
  if (botDomain !== '' && !HOST_NAME.test(botDomain)) {
    throw new Error(`botDomain "${values.botDomain ?? ''}" is not a host name: give it without scheme, port or path, e.g. bot.contoso.com (BOT_DOMAIN).`);
  }
  return { BOT_ID: botId.toLowerCase(), APP_VERSION: appVersion, BOT_DOMAIN: botDomain.toLowerCase() };
}

function substitute(value: JsonValue, substitutions: Record<string, string>): JsonValue {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, name: string) => substitutions[name] ?? whole);
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, substitutions));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = substitute(item, substitutions);
    return out;
  }
  return value;
}

/** Every `${{...}}` still in a string value or key, as written, each once. */
function findPlaceholders(value: JsonValue): string[] {
  const found = new Set<string>();
  const visit = (v: JsonValue): void => {
    if (typeof v === 'string') {
      for (const match of v.matchAll(/\$\{\{[^}]*\}\}/g)) found.add(match[0]);
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (isJsonObject(v)) {
      for (const [key, item] of Object.entries(v)) {
        visit(key);
        visit(item);
      }
    }
  };
  visit(value);
  return [...found];
}

function isJsonObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
