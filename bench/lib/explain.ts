/**
 * Why the service's figures are what they are, for the "goals not met" section. Each text names
 * the work the service does per request in the code measured, as CPU profiles of the service
 * under the same load showed it; cases add their own numbers.
 */

/** The middleware every API request but a map revalidation passes, in order. */
export const MIDDLEWARE_CHAIN =
  'the Express middleware chain (helmet headers, compression, cookie-parser, CORS, the same-origin check, the session check, the JSON body parser, the router)';

/** The machine the figures come from. */
export const SHARED_CORES =
  'one Node process on a machine whose two cores it shares with the load generator, PostgreSQL and other work';

/** A request answered from memory through the whole chain: what bounds it. */
export const FROM_MEMORY_CEILING =
  `the figure is the ceiling of the HTTP stack: ${MIDDLEWARE_CHAIN} and Node's HTTP layer, in ${SHARED_CORES} ` +
  '(a CPU profile of the lookup under load put those packages at well over half of the busy time)';

/** The 304 revalidation of the public map. */
export const REVALIDATION =
  'A current ETag is answered by the first handler, before any middleware; what remains is Node parsing the request and writing the 304 and ' +
  `Express dispatching to that handler, in ${SHARED_CORES}; nginx answers in C from two worker processes. More than this would take a second ` +
  'service process or a cache in front';
