import { InputError } from '@backstage/errors';
import {
  jsonSyntaxProblem,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '@internal/portal-node';
import { parse, isSafeNumber } from 'lossless-json';
import { gunzipSync } from 'node:zlib';

export type OtlpEncoding = 'json' | 'protobuf';

export interface OtlpBody {
  encoding: OtlpEncoding;
  /** The body with any Content-Encoding removed. */
  bytes: Buffer;
}

/** Which OTLP encoding a Content-Type names. */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json') {
    return 'json';
  }
  if (mediaType === 'application/x-protobuf') {
    return 'protobuf';
  }
  throw new UnsupportedMediaTypeError(
    `Content-Type '${contentType ?? ''}' is not supported; send ` +
      `application/json or application/x-protobuf`,
  );
}

/**
 * Removes the Content-Encoding of an OTLP request. Decompression stops at
 * maxBytes, so a small gzip body that inflates to gigabytes is refused
 * before it takes the memory.
 */
export function decodeOtlpBody(options: {
  contentType?: string;
  contentEncoding?: string;
  body: Buffer;
  maxBytes: number;
}): OtlpBody {
  const encoding = otlpEncodingOf(options.contentType);
  const contentEncoding = (options.contentEncoding ?? 'identity')
    .trim()
    .toLowerCase();

  if (contentEncoding === 'identity' || contentEncoding === '') {
    return { encoding, bytes: options.body };
  }
  if (contentEncoding !== 'gzip') {
    throw new UnsupportedMediaTypeError(
      `Content-Encoding '${options.contentEncoding}' is not supported; ` +
        `send gzip or no encoding`,
    );
  }

  try {
    const bytes = gunzipSync(options.body, {
      maxOutputLength: options.maxBytes,
    });
    return { encoding, bytes };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(
        `The body is over ${options.maxBytes} bytes once decompressed`,
      );
    }
    throw new InputError('The body is not valid gzip', error);
  }
}

/**
 * An integer literal too long to be sure of as a double: 16 digits or
 * more after a colon, comma or bracket. Inside a string it matches too,
 * which only sends that body to the slower parser.
 */
const LONG_NUMBER = /[:,[]\s*-?\d{16}/;

/**
 * Parses OTLP/JSON. Integers beyond 2^53 stay decimal strings instead of
 * losing digits, since senders may write 64-bit fields as JSON numbers.
 * Exporters write 64-bit fields as strings, as OTLP/JSON asks, so most
 * bodies hold no number that long and go to the native parser, several
 * times faster than the lossless one.
 */
export function parseOtlpJson(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  try {
    if (!LONG_NUMBER.test(text)) {
      return JSON.parse(text);
    }
    return parse(text, undefined, number =>
      isSafeNumber(number) ? Number(number) : number,
    );
  } catch {
    // Not with the parser's error: its message quotes the body.
    throw new InputError(
      `The body is not valid JSON: ${
        jsonSyntaxProblem(text) ?? 'the JSON parser refused it'
      }`,
    );
  }
}
