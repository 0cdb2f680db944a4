/**
 * Verifies `X-Twilio-Signature` (HMAC-SHA1 of the URL Twilio called and the sorted form fields,
 * keyed with the auth token; compared in constant time by the SDK) against the configured public
 * URL: behind a proxy the request's own host is not the one Twilio signed.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security
 */
import type { RequestHandler } from 'express';
import twilio from 'twilio';
import type { Logger } from '../../domain/index.js';

/** Header carrying the signature. */
export const TWILIO_SIGNATURE_HEADER = 'X-Twilio-Signature';

/**
 * Express middleware (after `express.urlencoded`) answering 403 to a request whose signature is
 * missing or wrong. The URL checked is `publicBaseUrl` + the path and query Twilio called.
 */
export function verifyTwilioSignature(settings: { authToken: string; publicBaseUrl: string }, deps: { logger: Logger; channel: string }): RequestHandler {
  return (req, res, next) => {
    // Twilio posts forms only; any other body (JSON, text) is not parsed and cannot be a webhook.
    if (typeof req.body !== 'object' || req.body === null || !req.is('application/x-www-form-urlencoded')) {
      deps.logger.warn(`channel.${deps.channel}.not_a_form`);
      res.status(415).type('text/plain').send('expected a form');
      return;
    }
    const signature = req.header(TWILIO_SIGNATURE_HEADER);
    const url = `${settings.publicBaseUrl}${req.originalUrl}`;
    const params = (req.body ?? {}) as Record<string, unknown>;
    if (!signature || !twilio.validateRequest(settings.authToken, signature, url, params)) {
      deps.logger.warn(`channel.${deps.channel}.bad_signature`, { present: signature !== undefined });
      res.status(403).type('text/plain').send('invalid signature');
      return;
    }
    next();
  };
}
