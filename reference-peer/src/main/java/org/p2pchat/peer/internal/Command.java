package org.p2pchat.peer.internal;

import org.p2pchat.protocol.HostPort;

/** One parsed command line. Immutable. */
public sealed interface Command {
  /** {@code register}. */
  record Register() implements Command {}

  /** {@code listpeer}. */
  record ListPeers() implements Command {}

  /** {@code exit network}. */
  record ExitNetwork() implements Command {}

  /** {@code chat request HOST PORT}. */
  record RequestChatAt(HostPort target) implements Command {}

  /** {@code chat request PEERNAME}: the address comes from the last {@code listpeer}. */
  record RequestChatWith(String peername) implements Command {}

  /** {@code chat message PEERNAME MESSAGE}; the message is the rest of the line. */
  record SendMessage(String peername, String message) implements Command {}

  /** {@code list connected peer}. */
  record ListConnected() implements Command {}

  /** {@code disconnect PEERNAME}. */
  record Disconnect(String peername) implements Command {}

  /** {@code yes}, {@code no}, {@code yes PEERNAME}, {@code no PEERNAME}; a null name means the oldest request. */
  record Answer(boolean accept, String peername) implements Command {}

  /** {@code pending}: the chat requests waiting for an answer. */
  record ListPending() implements Command {}

  /** {@code help}. */
  record Help() implements Command {}

  /** {@code exit}. */
  record Exit() implements Command {}

  /** An empty line. */
  record Nothing() implements Command {}

  /** A line that is not a command, with what to tell the user. */
  record Invalid(String problem) implements Command {}
}
