package org.p2pchat.sdk;

/** Why an incoming connection or message was not delivered to a handler. */
public enum RejectReason {
  /** Over the listener's size cap. */
  TOO_LARGE,
  /** Bytes that are not UTF-8. */
  NOT_UTF8,
  /** Not JSON, or cut short. */
  MALFORMED_JSON,
  /** More than one JSON value on one connection. */
  TRAILING_DATA,
  /** A msgtype this protocol version does not define. */
  UNKNOWN_TYPE,
  /** JSON that breaks the schema (missing or mistyped fields, out-of-range values, not an object). */
  INVALID,
  /** A connection that closed without sending anything. */
  EMPTY,
  /** A sender that did not finish its message before the read deadline. */
  READ_TIMEOUT,
  /** Too many connections in flight or too much work queued: closed early instead of queued without bound. */
  OVERLOADED,
  /** The connection failed while it was read. */
  IO_ERROR,
  /** A valid message of a type nobody registered a handler for. */
  UNHANDLED,
  /** The handler threw. */
  HANDLER_ERROR
}
