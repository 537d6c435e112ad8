import { InputError } from '@backstage/errors';
import express from 'express';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';
import { jsonSyntaxProblem } from './jsonSyntaxProblem';

/** application/json, and JSON-based types such as application/merge-patch+json. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;

/** What body-parser adds to the errors it passes on. */
type BodyParserError = Error & {
  type?: string;
  body?: string;
  limit?: number;
  charset?: string;
  encoding?: string;
};

/**
 * A body is on its way when the request gives it a length above 0 or
 * sends it in chunks; a POST without one (Content-Length: 0) needs no type.
 */
function carriesBody(req: express.Request) {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length']) > 0
  );
}

/** What is wrong with a body that body-parser could not read as JSON. */
function describeJsonProblem(text: string) {
  const problem = jsonSyntaxProblem(text);
  // Without one, body-parser's strict mode refused a number, a string,
  // true, false or null.
  return problem
    ? `Request body is not valid JSON: ${problem}`
    : 'Request body must be a JSON object or array';
}

/**
 * body-parser's errors as @backstage/errors that Backstage's error
 * handler answers: 400 for JSON it cannot read, 413 and 415. Its own
 * messages (and the `body` it adds, which the handler would serialize)
 * repeat the body, so none of them is passed on.
 */
function translate(error: BodyParserError) {
  switch (error.type) {
    case 'entity.parse.failed':
      return new InputError(describeJsonProblem(error.body ?? ''));
    case 'entity.too.large':
      return new PayloadTooLargeError(
        `Request body is over the limit of ${error.limit} bytes`,
      );
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(
        `Charset '${error.charset}' is not supported; send UTF-8`,
      );
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError(
        `Content-Encoding '${error.encoding}' is not supported; ` +
          `send gzip, deflate or no encoding`,
      );
    default:
      return error;
  }
}

/**
 * Reads a JSON request body into `req.body`, as `express.json` does, with
 * the statuses HTTP asks for: 415 Unsupported Media Type naming the
 * Content-Type of a body that is not JSON (instead of leaving `req.body`
 * empty, which a route would report as a missing field), 400 naming where
 * malformed JSON goes wrong without repeating it, and 413 for a body over
 * `limit` (bytes, or a size such as '2mb'). A request without a body gets
 * `{}`, as from `express.json`.
 */
export function jsonBody(options: {
  limit: number | string;
}): express.RequestHandler {
  // The type is checked below, to refuse what body-parser would skip.
  const parse = express.json({ limit: options.limit, type: () => true });
  return (req, res, next) => {
    const contentType = req.headers['content-type'];
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (carriesBody(req) && !JSON_MEDIA_TYPE.test(mediaType)) {
      next(
        new UnsupportedMediaTypeError(
          contentType
            ? `Content-Type '${contentType}' is not supported; send application/json`
            : 'The request body has no Content-Type; send application/json',
        ),
      );
      return;
    }
    parse(req, res, error =>
      error ? next(translate(error as BodyParserError)) : next(),
    );
  };
}
