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
      Conversations conversations, FileTransfers files, PeerOutput out, Exit exit) {
    this.parts = new Commands.Parts(server, outgoing, incoming, conversations, files, out);
    this.exit = exit;
  }

  /** Runs one command line; false once the line was {@code exit}. */
  public boolean run(String line) {
    Commands.Parsed parsed = Commands.parse(line);
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
