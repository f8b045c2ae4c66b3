package org.p2pchat.conformance.internal;

/**
 * The rules the cases check: each a stable anchor of docs/protocol.md (Part 1, the normative rules) and a
 * one-line summary of it. The anchors never change; a test checks that each one exists in docs/protocol.md.
 */
final class Rules {
  /** One rule: its anchor in docs/protocol.md and what it says, in a line. */
  record Rule(String anchor, String text) {}

  static final Rule REGISTER = new Rule("rule-register", "REGISTER: a free name is recorded and gets "
      + "REGISTER_SUCCESS at its advertised host:port; a taken name gets REGISTER_ERROR and the first registration "
      + "stays");
  static final Rule LISTPEER = new Rule("rule-listpeer", "LISTPEER: a registered name gets the whole list at its "
      + "registered address; an unregistered name gets silence");
  static final Rule ORDER = new Rule("rule-listpeer-order", "LISTPEER reply: every registered peer, name -> "
      + "[host, port], in registration order");
  static final Rule EXIT = new Rule("rule-exit-network", "EXIT_NETWORK: removes the name if registered; no reply");
  static final Rule REPLY_ADDRESS = new Rule("rule-reply-address", "A reply is a new message on a new connection to "
      + "the advertised address (in the message, or registered), never to the source address, never back on the "
      + "request's connection");
  static final Rule CHAT_REQUEST = new Rule("rule-chat-request", "CHAT_REQUEST accepted: CHAT_ACCEPT with the "
      + "receiver's own peername, host and port goes to the requester's advertised address (in peer mode the "
      + "target accepts by itself, see rule-auto-accept)");
  static final Rule CHAT_MESSAGE = new Rule("rule-chat-message", "CHAT_MESSAGE: shown only if the sender is a "
      + "connected peer, otherwise dropped; never answered");
  static final Rule DISCONNECT = new Rule("rule-disconnect", "DISCONNECT: removes the sender from connected peers; "
      + "no reply; the peer may connect again");
  static final Rule STILL_SERVING = new Rule("rule-bad-input", "Bad input (not UTF-8, not JSON, truncated, too "
      + "deep, too big, wrong schema, unknown type) is dropped with no reply and the next message is served");
  static final Rule READ_TO_END = new Rule("rule-read-to-end", "A receiver reads each message to end of stream, "
      + "whatever the segments and pauses, under a size cap");
  static final Rule SIZE_CAP = new Rule("rule-size-caps", "A receiver caps the bytes of one message and drops "
      + "a message over the cap without stopping");
  static final Rule ONE_MESSAGE = new Rule("rule-one-message", "One message per connection: data after the first "
      + "JSON value is an error, not a second message");
  static final Rule UTF8 = new Rule("rule-utf8", "A message is UTF-8 JSON; bytes that are not UTF-8 make it "
      + "invalid, and the receiver goes on serving");
  static final Rule UNKNOWN_TYPE = new Rule("rule-unknown-type", "A well-formed message of an unknown msgtype is "
      + "dropped silently and the next message is served");
  static final Rule PORTS = new Rule("rule-schemas", "A message that breaks its schema (a port that is not a JSON "
      + "integer) is bad input: dropped, and the next message is served");
  static final Rule NEW_FIELDS = new Rule("rule-new-fields", "Unknown fields are ignored, and a message over "
      + "1,024 bytes is read to its end (rule-read-to-end)");
  static final Rule BLOCKING = new Rule("rule-no-blocking", "A slow or silent connection never stops the receiver "
      + "from serving other connections");
  static final Rule MODEL = new Rule("rule-state-model", "Every rule at once: each reply, or silence, is what the "
      + "rules predict for the sequence so far");
  static final Rule MESH = new Rule("rule-mesh", "Mesh types (MESH_*) go only over mesh links: chats whose both ends "
      + "listed mesh; a 2018 peer never receives one");
  static final Rule MESH_RELAY = new Rule("rule-mesh-relay", "A relay forwards a MESH_DATA at most once, never back, "
      + "hoplimit - 1, and drops it when the hop limit would reach 0");
  static final Rule MESH_ROUTES = new Rule("rule-mesh-routes", "MESH_HELLO on link up and every interval; learnt "
      + "routes advertised on with metric + 1");
  static final Rule MESH_DISCOVERY = new Rule("rule-mesh-discovery", "A MESH_ROUTE_REQUEST is handled once per "
      + "(origin, reqid): answered by its destination, otherwise passed on with hops + 1; a MESH_ROUTE_REPLY goes "
      + "back the way its request came");

  static final Rule ID_SERVER_NAMES = new Rule("rule-identity-server-names", "identity-v1 server: a keyed, signed "
      + "REGISTER binds the name to its key; EXIT_NETWORK and LISTPEER for a keyed name count only when signed by "
      + "that key and fresh, otherwise they are ignored with no reply");
  static final Rule ID_FRESHNESS = new Rule("rule-identity-freshness", "identity-v1 signed requests: ts within "
      + "60 s of the server's clock and each (key, nonce) once; a stale or replayed request is ignored");
  static final Rule ID_HANDSHAKE = new Rule("rule-identity-handshake", "identity-v1 chat: a CHAT_REQUEST with "
      + "identity-v1 gets a CHAT_ACCEPT signed over the transcript; bad keys or low-order points get none; only a "
      + "CHAT_CONFIRM that verifies completes the handshake and pins the name");
  static final Rule ID_SEALED = new Rule("rule-identity-sealed", "identity-v1 session: a forged, tampered, replayed "
      + "or plaintext message in a sealed session's or pinned peer's name is dropped, never answered and never "
      + "shown as that peer's words");
  static final Rule ID_2018 = new Rule("rule-identity-2018", "identity-v1 beside 2018 programs: a counterpart that "
      + "advertised nothing gets no identity field (idkey, sig, keys, box, ...), no CHAT_CONFIRM, nothing sealed");

  private Rules() {}
}
