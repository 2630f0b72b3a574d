/**
 * `npm run user -- add NAME --role ROLE [--password PW]` adds an account.
 * Without --password a random one is generated and printed once.
 */
import crypto from 'node:crypto';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateLatest } from '../db/migrate';
import { accountsService } from './accounts.service';
import { ROLES, type Role } from './accounts.repo';

async function main(argv: string[]) {
  const [command, name, ...rest] = argv;
  const flag = (f: string) => {
    const i = rest.indexOf(f);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (command !== 'add' || !name) {
    console.error('usage: npm run user -- add NAME --role admin|designator|coordinator [--password PASSWORD]');
    process.exit(2);
  }
  const role = flag('--role') as Role | undefined;
  if (!role || !ROLES.includes(role)) {
    console.error(`--role must be one of: ${ROLES.join(', ')}`);
    process.exit(2);
  }
  const password = flag('--password') ?? crypto.randomBytes(12).toString('base64url');
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateLatest(db.knex);
    const account = await accountsService(db.knex).create(name, password, role, 'cli');
    console.log(`created ${account.username} (${account.role})`);
    if (!flag('--password')) console.log(`password: ${password}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

await main(process.argv.slice(2));
