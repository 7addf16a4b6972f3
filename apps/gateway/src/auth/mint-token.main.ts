// `npm run token -- --user <id> [--admin] [--ttl <seconds>] [--quiet]`: an HS256 bearer token for a
// local gateway, signed with JWT_HS256_SECRET (npm start keeps one in .local/gateway-jwt-secret).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mintLocalToken } from './local-token';

const DEFAULT_TTL_SECONDS = 12 * 3600;

const USAGE = `Usage: npm run token -- [--user <id>] [--admin] [--ttl <seconds>] [--quiet] [--url <gateway>]

Prints an HS256 bearer token for a local gateway, signed with JWT_HS256_SECRET (npm start keeps one
in .local/gateway-jwt-secret), and a curl command to try it with.

  --user <id>        the token's subject (default demo-user)
  --admin            an admin token, for the /api/admin routes
  --ttl <seconds>    how long it is valid (default ${DEFAULT_TTL_SECONDS})
  --quiet            print the token alone
  --url <gateway>    the gateway the curl example calls (default http://127.0.0.1:$GATEWAY_PORT, or :3000)
  -h, --help         this text
`;

/** The key `npm start` made for the local gateway, if there is one. */
function localSecret(): string | undefined {
  const file = join(__dirname, '../../../../.local/gateway-jwt-secret');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      user: { type: 'string', default: 'demo-user' },
      admin: { type: 'boolean', default: false },
      ttl: { type: 'string', default: String(DEFAULT_TTL_SECONDS) },
      quiet: { type: 'boolean', default: false },
      url: { type: 'string', default: `http://127.0.0.1:${process.env['GATEWAY_PORT'] || 3000}` },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const secret = process.env['JWT_HS256_SECRET'] || localSecret();
  if (!secret)
    throw new Error('set JWT_HS256_SECRET, or run npm start once: it keeps one in .local/gateway-jwt-secret');
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
    throw new Error('--ttl must be a positive number of seconds');
  const token = await mintLocalToken({ secret, userId: values.user, admin: values.admin, ttlSeconds });
  if (values.quiet) {
    console.log(token);
    return;
  }
  const route = values.admin ? '/api/admin/activities?limit=5' : '/api/users/me/activity';
  console.log(`${values.admin ? 'admin' : 'user'} token for "${values.user}", valid ${ttlSeconds} s:`);
  console.log(`  ${token}`);
  console.log(`  try: curl -H "Authorization: Bearer ${token}" '${values.url}${route}'`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
