package org.p2pchat.peer.internal;

import org.p2pchat.peer.PeerOutput;

/** Runs parsed commands against the parts of a peer. The one path typed, scripted and demo commands take. */
public final class CommandRunner {
  /** What {@code exit} does: leave and stop the peer. */
  public interface Exit {
    void exit();
  }

  private final ServerSession server;
  private final OutgoingRequests outgoing;
  private final IncomingRequests incoming;
  private final Conversations conversations;
  private final PeerOutput out;
  private final Exit exit;

  public CommandRunner(ServerSession server, OutgoingRequests outgoing, IncomingRequests incoming,
      Conversations conversations, PeerOutput out, Exit exit) {
    this.server = server;
    this.outgoing = outgoing;
    this.incoming = incoming;
    this.conversations = conversations;
    this.out = out;
    this.exit = exit;
  }

  /** Runs one command line; false once the line was {@code exit}. */
  public boolean run(String line) {
    Command command = CommandParser.parse(line);
    if (command instanceof Command.Exit) {
      exit.exit();
      return false;
    }
    if (command instanceof Command.Register) {
      server.register();
    } else if (command instanceof Command.ListPeers) {
      server.listPeers();
    } else if (command instanceof Command.ExitNetwork) {
      server.exitNetwork();
    } else if (command instanceof Command.RequestChatAt c) {
      outgoing.request(c.target());
    } else if (command instanceof Command.RequestChatWith c) {
      outgoing.request(c.peername(), server.lastPeerList());
    } else if (command instanceof Command.SendMessage c) {
      conversations.send(c.peername(), c.message());
    } else if (command instanceof Command.ListConnected) {
      conversations.list();
    } else if (command instanceof Command.Disconnect c) {
      conversations.disconnect(c.peername());
    } else if (command instanceof Command.Answer c) {
      incoming.answer(c.accept(), c.peername());
    } else if (command instanceof Command.ListPending) {
      incoming.list();
    } else if (command instanceof Command.Help) {
      HelpText.LINES.forEach(out::line);
    } else if (command instanceof Command.Invalid c) {
      out.line(c.problem());
    }
    return true;
  }
}
