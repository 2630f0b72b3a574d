/**
 * The request and response schemas of the HTTP API, one module per feature. The server parses
 * every request with them (routes call `parseInput(Schema, …)`); the client's types are inferred
 * from them (`client/src/api/types.ts`); tests/contract/responses.test.ts checks that the running
 * service's answers parse with the response schemas, on both databases.
 */
export * from './common';
export * from './zones';
export * from './public';
export * from './publications';
export * from './cases';
export * from './basedata';
export * from './trucks';
export * from './accounts';
export * from './admin';
