import type { BenchOptions } from './options';
import type { StartedProcess } from './processes';

/** Which references' packages are installed on this machine. */
export interface ReferencesAvailable {
  nginx: boolean;
  mapserver: boolean;
  spawnFcgi: boolean;
  pgrouting: boolean;
}

/** What every case gets from the bench runner. */
export interface BenchContext {
  options: BenchOptions;
  log(line: string): void;
  /** URL of the working bench database on PostgreSQL. */
  databaseUrl: string;
  /** The service (real server process) on that database, shared by the read-only cases. */
  service: StartedProcess;
  references: ReferencesAvailable;
}

/** The Debian packages the references come from, as one install line. */
export const REFERENCE_PACKAGES = 'apt-get install nginx cgi-mapserver spawn-fcgi postgresql-15-pgrouting';
