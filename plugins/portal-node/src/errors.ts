import { CustomErrorBase } from '@backstage/errors';

/**
 * 415: the request's body is of a media type (or encoding) that the route
 * does not read. Backstage's error handler answers with `statusCode`.
 */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415;
}

/** 413: the request's body, or the body once decompressed, is over the limit. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}
