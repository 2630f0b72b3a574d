import { loadConfig } from './config';
import { startServer } from './server';

const config = loadConfig();
const server = await startServer(config, (line) => console.log(line));
console.log(`Risk-zone service on http://localhost:${config.port} (database: ${server.db.kind})`);
if (server.demoAccounts.length) {
  console.log('Demo accounts for this run (passwords are new at every start):');
  for (const a of server.demoAccounts) console.log(`  ${a.username.padEnd(12)} ${a.password}`);
}
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close().then(() => process.exit(0), () => process.exit(1));
  });
}
