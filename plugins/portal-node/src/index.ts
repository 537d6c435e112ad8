/**
 * Node pieces the TMS portal's backend plugins share.
 *
 * @packageDocumentation
 */

export { jsonBody } from './jsonBody';
export { jsonSyntaxProblem } from './jsonSyntaxProblem';
export { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';
export {
  cacheSqliteInsertStatements,
  forEachSqliteConnection,
} from './sqliteStatementCache';
export { tuneSqliteFile } from './sqliteFile';
export type { KnexWithClient } from './sqliteStatementCache';
export { inSqliteWriteTransaction } from './sqliteWriteTransaction';
export type { RunWriteStatement } from './sqliteWriteTransaction';
