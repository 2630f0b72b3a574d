// The zones' request schemas moved to the contract (contract/schemas/zones.ts), which the client
// shares; these names remain for the modules not yet moved to it.
export { PastOrToday as zPastOrToday, Day as zDate } from '../../../contract/schemas';
