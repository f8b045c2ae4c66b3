package org.p2pchat.conformance.testimpl;

/** Deliberate defects the self-test builds into an implementation, each of which the suite must catch. */
public enum Flaw {
  /** REGISTER of a taken name succeeds and moves the name. */
  ACCEPTS_DUPLICATE_NAMES,
  /** LISTPEER from a name that is not registered is answered, to the connection's source address. */
  ANSWERS_UNREGISTERED_LISTPEER,
  /** Every reply goes to the connection's source address instead of the advertised one. */
  REPLIES_TO_SOURCE,
  /** The first malformed JSON closes the listening socket. */
  DIES_ON_MALFORMED_JSON,
  /** Reads only the first 1,024 bytes of a message, as the 2018 recv(1024) did. */
  TRUNCATES_AT_1024,
  /** EXIT_NETWORK is ignored: the name stays registered. */
  IGNORES_EXIT,
  /** One thread reads connections one at a time with no read timeout: an idle sender stalls everyone. */
  STALLS_ON_IDLE,
  /** The registry is a HashMap: LISTPEER lists names in hash order, not registration order. */
  DROPS_LIST_ORDER,
  /** A message over 1,024 bytes closes the listening socket, as it ended the 2018 receiver. */
  DIES_ON_LONG_MESSAGE,
  /** The third malformed JSON message closes the listening socket (the first two are survived). */
  DIES_ON_THIRD_MALFORMED
}
