/**
 * One service process for the bench: the real server (startServer) with the settings it is given
 * in its environment. Prints `{"url": …}` once listening; closes cleanly on SIGTERM.
 */
import { loadConfig } from '../../server/src/config';
import { startServer } from '../../server/src/server';

const server = await startServer(loadConfig(process.env), (line) => process.stderr.write(`[service] ${line}\n`));
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  server.close().finally(() => process.exit(0));
});
