/**
 * Bot Framework endpoint: POST /api/messages through botbuilder's CloudAdapter, authenticated
 * with the Azure Bot's app id and password. Anonymous (for the Bot Framework Emulator) only when
 * both are empty, which is logged as a warning. `deliveryMode: "expectReplies"` is answered with
 * the replies in the HTTP response (the adapter does it).
 *
 * The token is validated in full before the body is read (`tokenAccepted`, by the connector's own
 * validation): a caller without a valid token gets 401 and its body is never buffered or parsed.
 */
import express, { type Router } from 'express';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext, type Activity, type InvokeResponse } from 'botbuilder';
import { ConfigError, type CaseReacher, type ChannelAdapter, type Lang, type Logger, type TurnHandler } from '../../domain/index.js';
import { CAPABILITIES } from '../shared/capabilities.js';
import { jsonBody } from '../shared/json-body.js';
import { deliver, NOTHING_SENT, type PipelineDeps } from '../shared/pipeline.js';
import type { RetryOptions } from '../shared/send.js';
import { parseActivity } from './parse.js';
import { createBotFrameworkReacher } from './reacher.js';
import { renderBotFramework } from './render.js';
import { sendBotFrameworkActivities } from './send.js';

import { BOTFRAMEWORK_PATH } from '../configured.js';

export { BOTFRAMEWORK_PATH };

/** Settings of the Bot Framework channel (from `Config.botframework` and the server settings). */
export interface BotFrameworkSettings {
  /** MICROSOFT_APP_ID. */
  appId: string;
  /** MICROSOFT_APP_PASSWORD. */
  appPassword: string;
  /** MICROSOFT_APP_TENANT_ID (SingleTenant and UserAssignedMSI bots). */
  appTenantId: string;
  /** MICROSOFT_APP_TYPE: MultiTenant, SingleTenant or UserAssignedMSI. */
  appType: string;
  maxBodySize: string;
  defaultLang: Lang;
  /** Anonymous (no app id): accept callers beyond loopback too. Default: loopback only. */
  allowRemoteAnonymous?: boolean;
  /** Origins replies may be posted to besides Microsoft's own (BOTFRAMEWORK_SERVICE_URLS). */
  serviceUrls?: readonly string[];
}

/**
 * Hosts of the Bot Framework's own service URLs (Azure Bot Service channels, Teams, Direct Line,
 * Web Chat; public and government clouds). https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference
 */
const MICROSOFT_SERVICE_HOSTS = [/\.botframework\.com$/, /\.botframework\.azure\.us$/, /\.botframework\.us$/, /^smba\.trafficmanager\.net$/, /^smba\.infra\.gov\.teams\.microsoft\.us$/];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether an address is the machine itself (IPv4, IPv6 or IPv4-mapped). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * Whether replies may be posted to a service URL: Microsoft's own hosts over https, the configured
 * extra origins and, for an anonymous bot talking to a caller on loopback (the Emulator), loopback.
 * Anything else (an internal address, a metadata endpoint, another port of this machine for a
 * remote caller) is refused: the adapter would post the reply there.
 */
export function serviceUrlAllowed(serviceUrl: unknown, options: { extra?: readonly string[]; loopback: boolean }): boolean {
  if (typeof serviceUrl !== 'string' || serviceUrl.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  if (options.loopback && LOOPBACK_HOSTS.has(host) && (url.protocol === 'http:' || url.protocol === 'https:')) return true;
  if ((options.extra ?? []).includes(url.origin.toLowerCase())) return true;
  return url.protocol === 'https:' && url.port === '' && MICROSOFT_SERVICE_HOSTS.some((h) => h.test(host));
}

/** What the channel is given. */
export interface BotFrameworkDeps {
  handleTurn: TurnHandler;
  /** Told how each turn's sends went (metrics). */
  onDelivered?: PipelineDeps['onDelivered'];
  logger: Logger;
  now?: () => number;
  retry?: RetryOptions;
  /**
   * Where the channel's signing keys are published and who issues its tokens (default: Microsoft's
   * public cloud). Tests point it at a local key server.
   */
  authEndpoints?: BotFrameworkAuthEndpoints;
}

/** The token endpoints of a Bot Framework cloud (see `BotFrameworkDeps.authEndpoints`). */
export interface BotFrameworkAuthEndpoints {
  /** OpenID metadata whose `jwks_uri` lists the channel's signing keys (and the Emulator's). */
  openIdMetadataUrl: string;
  /** The `iss` of the channel's tokens. */
  tokenIssuer: string;
}

/** The Bot Framework channel: its express mount and the adapter. */
export interface BotFrameworkChannel extends ChannelAdapter<Router> {
  adapter: CloudAdapter;
  /** True when requests are not authenticated (no app id and password). */
  anonymous: boolean;
  /** How a case worker's reply reaches a user outside a turn (a proactive message). */
  reacher: CaseReacher;
}

export { botFrameworkConfigured } from '../configured.js';

/**
 * The SDK's adapter with Dalil's answer to a request it cannot authenticate: `process()` prints
 * the error with its stack to stderr and answers 500 with the error's message (an internal fetch
 * error, when Microsoft's key endpoint cannot be reached). `serve()` answers 401 to a token that
 * is refused and 503 when the token could not be checked, each with a one-line log.
 */
class DalilCloudAdapter extends CloudAdapter {
  async serve(activity: Activity, authHeader: string, logic: (context: TurnContext) => Promise<void>, logger: Logger): Promise<{ status: number; body?: unknown }> {
    let invoke: InvokeResponse | undefined;
    try {
      invoke = await this.processActivity(authHeader, activity, logic);
    } catch (error) {
      return authFailure(error, logger, 'token refused');
    }
    return { status: invoke?.status ?? 200, ...(invoke?.body !== undefined ? { body: invoke.body } : {}) };
  }
}

/** Errors of jsonwebtoken's `verify` (which the connector rethrows as they are): the token is refused. */
const JWT_REFUSALS = new Set<unknown>(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/** The answer to a token that failed: 401 when refused, 503 when it could not be checked (keys unreachable). */
function authFailure(error: unknown, logger: Logger, reason: string): { status: number; body: unknown } {
  // The connector's AuthenticationError carries the HTTP status it means (401; botbuilder does not
  // re-export the class); a bad signature or date comes as jsonwebtoken's own error, also a refusal.
  if ((error as { statusCode?: unknown }).statusCode === 401 || JWT_REFUSALS.has((error as { name?: unknown }).name)) {
    logger.warn('channel.botframework.unauthorized', { reason });
    return { status: 401, body: { error: 'unauthorized' } };
  }
  logger.error('channel.botframework.auth_unavailable', { error: error instanceof Error ? error.name : typeof error });
  return { status: 503, body: { error: 'authentication unavailable, retry later' } };
}

/**
 * What the token is checked against before the body is read: no channel and no service URL, so the
 * connector checks everything the token alone can prove (signature against the published keys,
 * issuer, audience = this app id, expiry, the Emulator's and skills' claims) and skips the two
 * checks that need the activity: the key's endorsement of the activity's channel and the token's
 * `serviceurl` claim. `processActivity` makes all of them, those two included, once the body is read.
 */
const TOKEN_ONLY = { channelId: '', serviceUrl: '' } as Activity;

/** Checks the token of a request before its body is read; false when the request was answered. */
async function tokenAccepted(auth: ConfigurationBotFrameworkAuthentication, req: express.Request, res: express.Response, logger: Logger): Promise<boolean> {
  const header = req.header('authorization') ?? '';
  let failure: { status: number; body: unknown } | undefined;
  if (!/^Bearer [\w-]+\.[\w-]+\.[\w-]*$/.test(header)) {
    logger.warn('channel.botframework.unauthorized', { reason: 'no bearer token' });
    failure = { status: 401, body: { error: 'unauthorized' } };
  } else {
    try {
      await auth.authenticateRequest(TOKEN_ONLY, header);
      return true;
    } catch (error) {
      failure = authFailure(error, logger, 'token refused before the body');
    }
  }
  // The body is never read: closing the connection spares reading what the caller still sends.
  res.set('connection', 'close').status(failure.status).json(failure.body);
  return false;
}

/** Builds the authentication; throws `ConfigError` when only half the credentials are set. */
function authentication(settings: BotFrameworkSettings, logger: Logger, endpoints?: BotFrameworkAuthEndpoints): { auth: ConfigurationBotFrameworkAuthentication; anonymous: boolean } {
  const msi = settings.appType === 'UserAssignedMSI';
  if (!settings.appId && !settings.appPassword) {
    logger.warn('channel.botframework.anonymous', { hint: 'MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD are empty: any caller is accepted (Emulator only)' });
    return { auth: new ConfigurationBotFrameworkAuthentication({}), anonymous: true };
  }
  if (!settings.appId) throw new ConfigError('MICROSOFT_APP_ID is required when MICROSOFT_APP_PASSWORD is set');
  if (!settings.appPassword && !msi) throw new ConfigError('MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set');
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword,
    MicrosoftAppType: settings.appType,
    MicrosoftAppTenantId: settings.appTenantId,
    ...(endpoints
      ? {
          // Set together: the connector takes all of them as given once one is set.
          ToBotFromChannelOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
          ToBotFromChannelTokenIssuer: endpoints.tokenIssuer,
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          CallerId: 'urn:botframework:azure',
        }
      : {}),
  });
  return { auth, anonymous: false };
}

/**
 * Whether a parsed body can be handed to the adapter: an object with a `type`. The adapter
 * throws on anything else, which would surface as a 500 instead of the client's 400.
 */
export function looksLikeActivity(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const type = (body as { type?: unknown }).type;
  return typeof type === 'string' && type.length > 0 && type.length <= 64;
}

/** Builds the channel. */
export function createBotFrameworkChannel(settings: BotFrameworkSettings, deps: BotFrameworkDeps): BotFrameworkChannel {
  const { logger } = deps;
  const { auth, anonymous } = authentication(settings, logger, deps.authEndpoints);
  const adapter = new DalilCloudAdapter(auth);
  adapter.onTurnError = async (_context, error) => {
    logger.error('channel.botframework.turn_error', { error: error instanceof Error ? error.name : 'unknown' });
  };
  const caps = CAPABILITIES.botframework;

  const logic = async (context: TurnContext): Promise<void> => {
    const repliesInResponse = context.activity.deliveryMode === 'expectReplies';
    if (!anonymous && !repliesInResponse && !serviceUrlAllowed(context.activity.serviceUrl, { extra: settings.serviceUrls ?? [], loopback: false })) {
      logger.warn('channel.botframework.service_url_refused');
      return;
    }
    const inbound = parseActivity(context.activity, (deps.now ?? Date.now)());
    if (!inbound) {
      logger.debug('channel.botframework.update_ignored', { type: context.activity.type ?? 'none' });
      return;
    }
    const retry = deps.retry ? { retry: deps.retry } : {};
    // The way back for a case worker's replies (kept encrypted with the case, never logged).
    const address = TurnContext.getConversationReference(context.activity);
    await deliver(
      { id: 'botframework', capabilities: caps },
      { ...inbound, address },
      {
        render: (replies) => renderBotFramework(replies, caps),
        send: async (activities) => (activities.length === 0 ? NOTHING_SENT : sendBotFrameworkActivities(context, activities, { logger, ...retry })),
      },
      { handleTurn: deps.handleTurn, logger, defaultLang: settings.defaultLang, ...(deps.onDelivered ? { onDelivered: deps.onDelivered } : {}) },
    );
  };

  const router = express.Router();
  router.post(
    '/',
    (req, res, next) => {
      // Before the body is even read: the whole token, or for an anonymous bot where the caller is.
      if (!anonymous) {
        tokenAccepted(auth, req, res, logger).then((ok) => (ok ? next() : undefined), next);
        return;
      }
      if (anonymous && !settings.allowRemoteAnonymous && !isLoopbackAddress(req.ip)) {
        logger.warn('channel.botframework.unauthorized', { reason: 'anonymous bot called from beyond loopback' });
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      next();
    },
    jsonBody(express.json, settings.maxBodySize),
    async (req, res) => {
      if (!looksLikeActivity(req.body)) {
        logger.warn('channel.botframework.malformed_activity');
        res.status(400).json({ error: 'malformed activity' });
        return;
      }
      // An authenticated request's service URL is checked after its token (in `logic`).
      const serviceUrl = (req.body as { serviceUrl?: unknown }).serviceUrl;
      // With expectReplies the replies go back in this response, never to the service URL.
      const repliesInResponse = (req.body as { deliveryMode?: unknown }).deliveryMode === 'expectReplies';
      if (anonymous && !repliesInResponse && serviceUrl !== undefined && !serviceUrlAllowed(serviceUrl, { extra: settings.serviceUrls ?? [], loopback: isLoopbackAddress(req.ip) })) {
        logger.warn('channel.botframework.service_url_refused');
        res.status(400).json({ error: 'service URL not allowed' });
        return;
      }
      const out = await adapter.serve(req.body as Activity, req.header('authorization') ?? '', logic, logger);
      res.status(out.status);
      if (out.body !== undefined) res.json(out.body);
      else res.end();
    },
  );
  const reacher = createBotFrameworkReacher({
    adapter,
    appId: settings.appId,
    // Proactive messages of an anonymous bot go only to loopback (the Emulator).
    serviceUrlAllowed: (url) => serviceUrlAllowed(url, { extra: settings.serviceUrls ?? [], loopback: anonymous }),
    logger,
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
  return { id: 'botframework', capabilities: caps, mount: { name: 'botframework', path: BOTFRAMEWORK_PATH, router }, adapter, anonymous, reacher };
}
