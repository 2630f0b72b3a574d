/**
 * Why the service's figures are what they are, for the "goals not met" section. Each text names
 * the work the service does per request in the code measured, as CPU profiles of the service
 * under the same load showed it; cases add their own numbers.
 */

/** What a request the fast paths answer passes through (server/src/http.ts `withFastPaths`). */
export const FAST_PATH =
  "a handler before Express (none of its middleware: the security headers are helmet's, captured once) and Node's HTTP layer";

/** The machine the figures come from. */
export const SHARED_CORES =
  'one Node process on a machine whose two cores it shares with the load generator, PostgreSQL and other work';

/** A request answered from memory before Express: what bounds it. */
export const FROM_MEMORY_CEILING =
  `the figure is bounded by ${FAST_PATH}, in ${SHARED_CORES} ` +
  "(a CPU profile of the lookup under load: Node's HTTP layer, writing each answer's header and body to its socket above all, a third of the main thread's time)";

/** The 304 revalidation of the public map. */
export const REVALIDATION =
  'A current ETag is answered by the first handler, before Express; what remains is Node parsing the request and writing the 304, ' +
  `in ${SHARED_CORES}; nginx answers in C from two worker processes. More than this would take a second ` +
  'service process or a cache in front';
