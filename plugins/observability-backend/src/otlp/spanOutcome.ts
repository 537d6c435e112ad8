import { SpanRecord } from './readTraceRequest';

const STATUS_CODE_ERROR = 2;

/** OTLP SpanKind of the callee's side of a request. */
export const SPAN_KIND_SERVER = 2;

/**
 * A request failed when its span says so, when HTTP answered 5xx, or when
 * gRPC answered a non-zero status: a gRPC call fails inside an HTTP 200.
 */
export function isFailedRequest(span: SpanRecord): boolean {
  if (span.statusCode === STATUS_CODE_ERROR) {
    return true;
  }

  const httpStatus = Number(span.attributes['http.response.status_code']);
  if (httpStatus >= 500) {
    return true;
  }

  const grpcStatus = span.attributes['rpc.grpc.status_code'];
  return grpcStatus !== undefined && Number(grpcStatus) !== 0;
}

/**
 * Whether the callee saw mutual TLS: a TLS session (`tls.established`) in
 * which the client presented a certificate (`tls.client.subject`), as the
 * mesh's sidecars report it.
 */
export function usedMutualTls(span: SpanRecord): boolean {
  const subject = span.attributes['tls.client.subject'];
  return (
    span.attributes['tls.established'] === true &&
    typeof subject === 'string' &&
    subject !== ''
  );
}
