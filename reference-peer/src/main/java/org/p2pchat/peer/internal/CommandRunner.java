package org.p2pchat.peer.internal;

import org.p2pchat.peer.PeerOutput;

/** Runs typed lines through the {@link Commands} table. The one path typed, scripted and demo commands take. */
public final class CommandRunner {
  /** What {@code exit} does: leave and stop the peer. */
  public interface Exit {
    void exit();
  }

  private final Commands.Parts parts;
  private final Exit exit;

  public CommandRunner(ServerSession server, OutgoingRequests outgoing, IncomingRequests incoming,
      Conversations conversations, PeerTrust trust, PeerOutput out, Exit exit) {
    this.parts = new Commands.Parts(server, outgoing, incoming, conversations, trust, out);
    this.exit = exit;
  }

  /**
   * Runs one typed line; false once it was {@code exit}. In a conversation ({@code talk NAME}) a line not
   * starting with {@code /} is a chat message to NAME ({@code //} sends a line starting with {@code /});
   * a {@code /} in front of a command is allowed everywhere.
   */
  public boolean run(String line) {
    String current = parts.conversations().current();
    String text = line == null ? "" : line;
    boolean slashed = text.stripLeading().startsWith("/");
    if (current != null && (!slashed || text.stripLeading().startsWith("//"))) {
      if (!text.isBlank()) {
        parts.conversations().send(current, slashed ? text.stripLeading().substring(1) : text);
      }
      return true;
    }
    if (slashed) {
      text = text.stripLeading().substring(1);
    }
    Commands.Parsed parsed = Commands.parse(text);
    if (parsed instanceof Commands.Parsed.Invalid invalid) {
      parts.out().line(invalid.problem());
    } else if (parsed instanceof Commands.Parsed.Run run) {
      if (run.spec().quits()) {
        exit.exit();
        return false;
      }
      run.spec().handler().run(parts, run.args());
    }
    return true;
  }
}
