package org.p2pchat.conformance.internal;

/** The rules the cases check, quoted from the protocol notes (shared/protocol-notes.md) and the schemas. */
final class Rules {
  static final String REGISTER = "REGISTER (peername, host, port): \"name free: records name -> [host, port] and "
      + "sends REGISTER_SUCCESS to host:port; name taken: sends REGISTER_ERROR\"";
  static final String LISTPEER = "LISTPEER (request): \"only if that name is registered: replies LISTPEER with the "
      + "whole list to the registered address; otherwise silence\"";
  static final String ORDER = "LISTPEER (reply): \"every registered peer, name -> [host, port], in registration "
      + "order\"";
  static final String EXIT = "EXIT_NETWORK: \"removes the name if present; no reply\"";
  static final String REPLY_ADDRESS = "Transport: \"A reply is a new message on a new connection to the requester's "
      + "advertised listening address (the host/port it put in its message, or the address it registered with), "
      + "never to the connection's source address.\" and \"Nothing is ever sent back on that connection.\"";
  static final String CHAT_REQUEST = "CHAT_REQUEST (peername, host, port of A): \"on yes sends CHAT_ACCEPT and records "
      + "A as connected\"; CHAT_ACCEPT carries \"peername, host, port (B's)\"; in peer mode the target answers yes "
      + "by itself";
  static final String CHAT_MESSAGE = "CHAT_MESSAGE: \"printed as NAME: MESSAGE only if the sender is a connected peer; "
      + "otherwise dropped\"";
  static final String DISCONNECT = "DISCONNECT: \"removes the sender from connected peers\"";
  static final String STILL_SERVING = "Known defects of the 2018 program (ours must not have them): \"Any malformed, "
      + "oversized (> 1,024 bytes) or unknown message kills the receiver.\"";
  static final String READ_TO_END = "Transport: \"Our receivers must read to end of stream, with a size cap.\"";
  static final String ONE_MESSAGE = "Transport: \"One message per connection: the sender connects, writes one UTF-8 "
      + "JSON object, and closes.\"";
  static final String UTF8 = "Transport: \"writes one UTF-8 JSON object\"; a receiver must not crash on bytes that "
      + "are not UTF-8";
  static final String UNKNOWN_TYPE = "Compatibility: \"a new message type may be sent only to a counterpart that has "
      + "shown it understands it ... because an unknown type kills a 2018 receiver\" (ours must survive it)";
  static final String PORTS = "Envelope: \"Ports are JSON integers.\"; a message that breaks its schema is dropped and "
      + "the next one is served";
  static final String NEW_FIELDS = "Compatibility: \"New fields are optional and ignored by old readers\"; with "
      + READ_TO_END;
  static final String BLOCKING = "Known defects of the 2018 program: \"the receiving thread blocks ..., so nothing "
      + "else is received meanwhile\" (ours must not); every blocking read has a deadline";
  static final String MODEL = "Compatibility: \"our server and peer must handle it as the table says\": every rule "
      + "at once, each reply (or silence) being what the reference model of that table predicts for the sequence so far";

  private Rules() {}
}
