/**
 * `npm run admin:add-user -- --username ana --role reviewer`: creates an account of the editors'
 * app (roles: editor, reviewer, admin; caseworker with `--org ID`, the partner organisation whose
 * cases they take, which must exist: an admin creates it on the Partners page). The password is read from standard input (piped), or asked
 * twice without echo on a terminal; never from the command line, where it would stay in the shell
 * history and the process list. `--update` changes the role and password of an existing account.
 * Accounts go to Redis when REDIS_URL is set, else to ADMIN_DATA_DIR (default .data/admin);
 * `--data-dir DIR` overrides the folder.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config/index.js';
import { openAdminStore } from '../admin/index.js';
import { isRole, MIN_PASSWORD_LENGTH, ROLES, saveUser, USERNAME, type AdminUser } from '../admin/auth/accounts.js';
import { PARTNER_ID } from '../admin/cases/partners.js';
import { createLogger } from '../logging/logger.js';

const USAGE = `usage: npm run admin:add-user -- --username NAME --role ${ROLES.join('|')} [--org PARTNER_ID] [--update] [--data-dir DIR]
--org is required with --role caseworker (the partner organisation, created first on the Partners page).
The password is read from standard input (or asked for on a terminal), at least ${MIN_PASSWORD_LENGTH} characters.`;

/** Parsed command line. */
export interface AddUserArgs {
  username: string;
  role: string;
  update: boolean;
  dataDir?: string;
  /** The partner of a case worker. */
  org?: string;
}

/** Parses the arguments; throws with a message for the user. */
export function parseAddUserArgs(argv: readonly string[]): AddUserArgs {
  const out: Partial<AddUserArgs> = { update: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--username') out.username = value().trim().toLowerCase();
    else if (a === '--role') out.role = value().trim();
    else if (a === '--data-dir') out.dataDir = value();
    else if (a === '--org') out.org = value().trim().toLowerCase();
    else if (a === '--update') out.update = true;
    else if (a === '--password' || a.startsWith('--password=')) throw new Error('never pass a password on the command line: type it when asked, or pipe it on standard input');
    else throw new Error(`unknown option ${a}`);
  }
  if (!out.username || !USERNAME.test(out.username)) throw new Error('--username: 2-32 lowercase letters, digits, ".", "-" or "_"');
  if (!out.role || !isRole(out.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (out.role === 'caseworker' && !out.org) throw new Error('--role caseworker needs --org PARTNER_ID (the partner organisation of the case worker)');
  if (out.role !== 'caseworker' && out.org) throw new Error('--org is only for --role caseworker');
  if (out.org !== undefined && !PARTNER_ID.test(out.org)) throw new Error('--org: a partner id, 2-40 lowercase letters, digits and dashes');
  return out as AddUserArgs;
}

/** Reads one line from a terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Reads the first line of piped standard input. */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function main(argv: readonly string[]): Promise<number> {
  let args: AddUserArgs;
  try {
    args = parseAddUserArgs(argv);
  } catch (err) {
    process.stderr.write(`admin:add-user: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const settings = config.admin;
  if (args.dataDir) settings.dataDir = path.resolve(args.dataDir);
  let password: string;
  if (process.stdin.isTTY) {
    password = await askHidden(`Password for ${args.username}: `);
    if ((await askHidden('Again: ')) !== password) {
      process.stderr.write('admin:add-user: the two passwords differ\n');
      return 1;
    }
  } else {
    password = await readStdinLine();
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    process.stderr.write(`admin:add-user: the password must have at least ${MIN_PASSWORD_LENGTH} characters\n`);
    return 1;
  }
  const logger = createLogger('warn');
  const redis = config.redisTopology
    ? { url: config.redisUrl, topology: config.redisTopology, prefix: config.redisPrefix, commandTimeoutMs: config.redisCommandTimeoutMs }
    : undefined;
  const store = await openAdminStore(settings, logger, redis);
  try {
    const existing = await store.get<AdminUser>('users', args.username);
    if (existing && !args.update) {
      process.stderr.write(`admin:add-user: ${args.username} exists already (add --update to change the role and password)\n`);
      return 1;
    }
    if (args.org && !(await store.get('partners', args.org))) {
      process.stderr.write(`admin:add-user: no partner organisation "${args.org}"; an admin creates it first on the Partners page (/admin/partners)\n`);
      return 1;
    }
    await saveUser(store, { username: args.username, role: args.role as AdminUser['role'], password, ...(args.org ? { partnerId: args.org } : {}), ...(args.update ? { disabled: false } : {}) });
    const rel = path.relative(process.cwd(), settings.dataDir);
    const where = redis ? 'Redis' : rel && !rel.startsWith('..') ? rel : settings.dataDir;
    process.stdout.write(`admin:add-user: ${existing ? 'updated' : 'created'} ${args.username} (${args.role}${args.org ? `, ${args.org}` : ''}) in ${where}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`admin:add-user failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
