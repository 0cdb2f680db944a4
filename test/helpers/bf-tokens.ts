/**
 * Signed Bot Framework tokens for tests: an RSA key of our own, published by a local OpenID
 * metadata server as the channel's keys are (`jwks_uri`, with endorsements), and tokens signed
 * with it the way the Bot Connector signs them (RS256, `iss` https://api.botframework.com, `aud`
 * the app id, `serviceurl`). A channel built with `authEndpoints` of this server validates them
 * with the connector's own code, as it would Microsoft's.
 */
import { generateKeyPairSync, randomUUID, sign as rsaSign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export const BF_ISSUER = 'https://api.botframework.com';

export interface BotFrameworkKeyServer {
  /** For `BotFrameworkDeps.authEndpoints`. */
  endpoints: { openIdMetadataUrl: string; tokenIssuer: string };
  /** A token signed with the published key; `claims` override the defaults, `key` signs with another key (a forgery). */
  sign(claims: Record<string, unknown>, options?: { key?: KeyObject; kid?: string; expiresInSeconds?: number }): string;
  /** A key that is not published (to forge tokens). */
  otherKey: KeyObject;
  /** Requests served (metadata and keys). */
  requests(): number;
  close(): Promise<void>;
}

/** Starts the key server on a random loopback port; the published key endorses `endorsements` (channel ids). */
export async function startBotFrameworkKeyServer(endorsements: string[] = ['msteams', 'webchat', 'emulator', 'directline']): Promise<BotFrameworkKeyServer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const kid = `test-${randomUUID()}`;
  const jwk = publicKey.export({ format: 'jwk' });
  let served = 0;
  let base = '';
  const server: Server = createServer((req, res) => {
    served += 1;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid') res.end(JSON.stringify({ issuer: BF_ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    else if (req.url === '/keys') res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements }] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    endpoints: { openIdMetadataUrl: `${base}/openid`, tokenIssuer: BF_ISSUER },
    otherKey,
    requests: () => served,
    sign(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: BF_ISSUER, nbf: now - 60, exp: now + (options.expiresInSeconds ?? 3600), ...claims };
      const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
      const signed = `${part({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? kid })}.${part(payload)}`;
      return `${signed}.${rsaSign('sha256', Buffer.from(signed), options.key ?? privateKey).toString('base64url')}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
