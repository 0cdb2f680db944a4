/**
 * `npm run setup:webhooks`: connects Dalil to the platforms once its settings are in place.
 *  - Telegram: checks the token (`getMe`), then sets the webhook to PUBLIC_BASE_URL/webhooks/telegram
 *    with TELEGRAM_WEBHOOK_SECRET and the updates Dalil reads, and the command menu per language.
 *  - Twilio: checks the account SID and auth token (one GET of the account), and prints the exact
 *    URLs to paste in the Twilio console (they cannot be set through the sandbox's API).
 *  - Azure Bot (Bot Framework): checks the app id and password (one token request), and prints the
 *    messaging endpoint to paste in the Azure portal.
 * `--check` changes nothing: it only checks and reports (with the Telegram webhook as Telegram has it).
 * Every problem is said in plain words, naming the setting; no secret is ever printed.
 * Exit code 0 when every configured channel is ready, 1 otherwise.
 */
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../config/index.js';
import { LANGS } from '../domain/index.js';
import { telegramCommandMenus } from '../channels/telegram/commands.js';
import { TELEGRAM_ALLOWED_UPDATES, TELEGRAM_WEBHOOK_PATH } from '../channels/telegram/router.js';
import { SMS_WEBHOOK_PATH, WHATSAPP_WEBHOOK_PATH } from '../channels/twilio/router.js';
import { BOTFRAMEWORK_PATH } from '../channels/botframework/router.js';

/** Where the platforms' APIs are (tests point them at local fakes). */
export interface PlatformEndpoints {
  /** Twilio REST API (default https://api.twilio.com). */
  twilioApi: string;
  /** Microsoft identity platform (default https://login.microsoftonline.com). */
  microsoftLogin: string;
  /** Longest wait for one platform call. */
  timeoutMs: number;
}

export const DEFAULT_ENDPOINTS: PlatformEndpoints = {
  twilioApi: 'https://api.twilio.com',
  microsoftLogin: 'https://login.microsoftonline.com',
  timeoutMs: 10_000,
};

/** What the run found: lines for the operator, and whether everything configured is ready. */
export interface SetupReport {
  ok: boolean;
  lines: string[];
}

type Say = (line: string) => void;

/** One JSON/form HTTP call that never throws: status 0 when nothing answered. */
async function call(url: string, init: RequestInit, timeoutMs: number): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      // not JSON: the status says enough
    }
    return { status: res.status, body };
  } catch {
    return { status: 0, body: {} };
  }
}

/** The public base URL problem, if any (the platforms can only call an https origin). */
function baseUrlProblem(config: Config): string | undefined {
  if (!config.publicBaseUrl) return 'PUBLIC_BASE_URL is empty: set it to the https address the platforms can reach (e.g. https://dalil.example.org)';
  if (!config.publicBaseUrl.startsWith('https://')) return `PUBLIC_BASE_URL must start with https:// (the platforms refuse plain http)`;
  return undefined;
}

async function telegram(config: Config, check: boolean, endpoints: PlatformEndpoints, say: Say): Promise<boolean> {
  const { botToken, webhookSecret, apiRoot } = config.telegram;
  const api = (method: string, payload: unknown = {}) =>
    call(`${apiRoot.replace(/\/+$/, '')}/bot${botToken}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }, endpoints.timeoutMs);
  say('Telegram');
  const me = await api('getMe');
  if (me.status === 0) return fail(say, `Telegram could not be reached at ${apiRoot} (network or TELEGRAM_API_ROOT)`);
  if (me.status === 401 || me.status === 404) return fail(say, 'TELEGRAM_BOT_TOKEN is wrong: Telegram does not know this bot (ask @BotFather for the token again)');
  if (me.status !== 200) return fail(say, `Telegram answered ${me.status} to a harmless getMe: try again later`);
  const username = (me.body.result as { username?: unknown } | undefined)?.username;
  say(`  ok  the token belongs to @${typeof username === 'string' ? username : '?'}`);
  let ok = true;
  if (!webhookSecret) ok = fail(say, 'TELEGRAM_WEBHOOK_SECRET is empty: set one (openssl rand -hex 32) so Dalil can tell Telegram from anyone else');
  const base = baseUrlProblem(config);
  if (base) ok = fail(say, base);
  const url = `${config.publicBaseUrl}${TELEGRAM_WEBHOOK_PATH}`;
  if (check) {
    const info = await api('getWebhookInfo');
    const result = (info.body.result ?? {}) as { url?: unknown; last_error_message?: unknown; pending_update_count?: unknown };
    if (result.url === url) say(`  ok  the webhook is ${url}`);
    else ok = fail(say, `the webhook is ${typeof result.url === 'string' && result.url ? result.url : 'not set'}; run without --check to set it to ${url}`);
    if (typeof result.last_error_message === 'string' && result.last_error_message) {
      ok = fail(say, `Telegram's last delivery to the webhook failed: ${result.last_error_message}`);
    }
    return ok;
  }
  if (!ok) return false;
  const set = await api('setWebhook', { url, secret_token: webhookSecret, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] });
  if (set.status !== 200) return fail(say, `Telegram refused the webhook ${url} (${String(set.body.description ?? set.status)})`);
  say(`  set the webhook to ${url} (secret token, updates: ${TELEGRAM_ALLOWED_UPDATES.join(', ')})`);
  for (const menu of telegramCommandMenus(config.defaultLang)) {
    const r = await api('setMyCommands', menu);
    if (r.status !== 200) return fail(say, `Telegram refused the command menu${menu.language_code ? ` in ${menu.language_code}` : ''} (${String(r.body.description ?? r.status)})`);
  }
  say(`  set the command menu in ${LANGS.join(', ')} (default ${config.defaultLang})`);
  return true;
}

async function twilio(config: Config, endpoints: PlatformEndpoints, say: Say): Promise<boolean> {
  const { accountSid, authToken, whatsappFrom, smsFrom } = config.twilio;
  say('Twilio (WhatsApp, SMS)');
  let ok = true;
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) ok = fail(say, 'TWILIO_ACCOUNT_SID must be the account SID from the Twilio console: "AC" and 32 hexadecimal characters');
  if (!authToken) ok = fail(say, 'TWILIO_AUTH_TOKEN is empty: copy the auth token from the Twilio console');
  if (ok) {
    const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    const r = await call(`${endpoints.twilioApi.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}.json`, { headers: { authorization: auth } }, endpoints.timeoutMs);
    if (r.status === 0) ok = fail(say, 'Twilio could not be reached (network)');
    else if (r.status === 401) ok = fail(say, 'TWILIO_AUTH_TOKEN does not match TWILIO_ACCOUNT_SID: Twilio refused them (copy both again; a rotated token replaces the old one)');
    else if (r.status === 404) ok = fail(say, 'Twilio has no account with this TWILIO_ACCOUNT_SID');
    else if (r.status !== 200) ok = fail(say, `Twilio answered ${r.status} to a harmless account lookup: try again later`);
    else if (r.body.status !== undefined && r.body.status !== 'active') ok = fail(say, `the Twilio account is ${String(r.body.status)}, not active`);
    else say('  ok  the account SID and auth token work');
  }
  const base = baseUrlProblem(config);
  if (base) return fail(say, base);
  if (whatsappFrom) {
    say(`  paste: WhatsApp sender ${whatsappFrom}, "When a message comes in" (HTTP POST):`);
    say(`        ${config.publicBaseUrl}${WHATSAPP_WEBHOOK_PATH}`);
  }
  if (smsFrom) {
    say(`  paste: phone number ${smsFrom}, Messaging, "A message comes in" (Webhook, HTTP POST):`);
    say(`        ${config.publicBaseUrl}${SMS_WEBHOOK_PATH}`);
  }
  if (!whatsappFrom && !smsFrom) ok = fail(say, 'neither TWILIO_WHATSAPP_FROM nor TWILIO_SMS_FROM is set: Dalil has no Twilio sender to answer from');
  say('  (Twilio signs each call with this exact URL: if a proxy changes it, signatures fail with 403.)');
  return ok;
}

async function azure(config: Config, endpoints: PlatformEndpoints, say: Say): Promise<boolean> {
  const { appId, appPassword, appTenantId, appType } = config.botframework;
  say('Azure Bot (Bot Framework)');
  let ok = true;
  if (!appId) return fail(say, 'MICROSOFT_APP_ID is empty: without it the endpoint would accept anyone (local Emulator only)');
  if (appType === 'UserAssignedMSI') {
    say('  --  a managed identity cannot be checked from here (it only works inside Azure)');
  } else if (!appPassword) {
    ok = fail(say, 'MICROSOFT_APP_PASSWORD is empty: create a client secret for the app registration');
  } else {
    const tenant = appType === 'SingleTenant' ? appTenantId || 'MICROSOFT_APP_TENANT_ID' : 'botframework.com';
    if (appType === 'SingleTenant' && !appTenantId) return fail(say, 'MICROSOFT_APP_TENANT_ID is empty while MICROSOFT_APP_TYPE is SingleTenant');
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: appPassword, scope: 'https://api.botframework.com/.default' });
    const r = await call(`${endpoints.microsoftLogin.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, endpoints.timeoutMs);
    const error = typeof r.body.error === 'string' ? r.body.error : '';
    const detail = typeof r.body.error_description === 'string' ? r.body.error_description : '';
    if (r.status === 0) ok = fail(say, 'the Microsoft sign-in service could not be reached (network)');
    else if (r.status === 200 && typeof r.body.access_token === 'string') say('  ok  the app id and password work');
    else if (error === 'invalid_client' && /AADSTS7000222/.test(detail)) ok = fail(say, 'MICROSOFT_APP_PASSWORD has expired: create a new client secret in the app registration');
    else if (error === 'invalid_client') ok = fail(say, 'MICROSOFT_APP_PASSWORD is wrong for MICROSOFT_APP_ID (use the secret value, not its id)');
    else if (error === 'unauthorized_client' || /AADSTS700016/.test(detail)) ok = fail(say, `MICROSOFT_APP_ID is not known in this tenant (check the id, and MICROSOFT_APP_TYPE: ${appType})`);
    else if (/AADSTS90002/.test(detail)) ok = fail(say, 'MICROSOFT_APP_TENANT_ID is not a known tenant');
    else ok = fail(say, `the Microsoft sign-in service refused the credentials (${error || r.status})`);
  }
  const base = baseUrlProblem(config);
  if (base) return fail(say, base);
  say('  paste: Azure portal, your Azure Bot, Configuration, "Messaging endpoint":');
  say(`        ${config.publicBaseUrl}${BOTFRAMEWORK_PATH}`);
  return ok;
}

function fail(say: Say, problem: string): false {
  say(`  !!  ${problem}`);
  return false;
}

/** Checks (and unless `check`, sets up) every channel whose settings are present. */
export async function setupWebhooks(config: Config, options: { check: boolean; endpoints?: Partial<PlatformEndpoints> }): Promise<SetupReport> {
  const endpoints = { ...DEFAULT_ENDPOINTS, ...options.endpoints };
  const lines: string[] = [];
  const say: Say = (line) => void lines.push(line);
  say(options.check ? 'Checking the platforms (nothing is changed):' : 'Setting up the platforms:');
  let ok = true;
  let any = false;
  if (config.telegram.botToken) {
    any = true;
    ok = (await telegram(config, options.check, endpoints, say)) && ok;
  }
  const tw = config.twilio;
  if (tw.accountSid || tw.authToken || tw.whatsappFrom || tw.smsFrom) {
    any = true;
    ok = (await twilio(config, endpoints, say)) && ok;
  }
  const bf = config.botframework;
  if (bf.appId || bf.appPassword) {
    any = true;
    ok = (await azure(config, endpoints, say)) && ok;
  }
  if (!any) {
    say('No channel is configured: set TELEGRAM_BOT_TOKEN, the TWILIO_* settings or MICROSOFT_APP_ID first (see .env.example).');
    return { ok: false, lines };
  }
  say(ok ? 'Everything configured is ready.' : 'Some settings need attention (see the lines marked !!).');
  return { ok, lines };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write('usage: npm run setup:webhooks [-- --check]\n');
    process.exit(2);
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`The settings cannot be read: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const report = await setupWebhooks(config, { check: args.includes('--check') });
  process.stdout.write(`${report.lines.join('\n')}\n`);
  process.exit(report.ok ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
