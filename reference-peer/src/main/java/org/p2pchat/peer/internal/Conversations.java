package org.p2pchat.peer.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chatting with connected peers: sending and showing messages, the current conversation ({@code talk}),
 * listing ({@code list connected peer}, {@code who}) and disconnecting.
 */
public final class Conversations {
  private static final Logger log = LoggerFactory.getLogger(Conversations.class);
  /** What {@code who} shows in its identity column until something verifies peers. */
  public static final Function<String, String> NOT_VERIFIED = name -> "-";

  private final Identity me;
  private final Outbox outbox;
  private final PeerOutput out;
  private final ConnectedPeers connected;
  private final Capabilities capabilities;
  /** The identity column of {@code who}: a peer name to its verification state (the identity feature's hook). */
  private final Function<String, String> verification;
  /** The peer that lines without a leading {@code /} go to, or null. */
  private volatile String current;

  public Conversations(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected,
      Capabilities capabilities, Function<String, String> verification) {
    this.me = me;
    this.outbox = outbox;
    this.out = out;
    this.connected = connected;
    this.capabilities = capabilities;
    this.verification = verification;
  }

  public void registerHandlers(Dispatcher dispatcher) {
    dispatcher.on(ChatMessage.class, this::onMessage);
    dispatcher.on(Disconnect.class, this::onDisconnect);
  }

  /**
   * {@code chat message PEERNAME MESSAGE}. A peer that advertised {@code eof} gets up to the schema's
   * limit in raw UTF-8; any other is treated as a 2018 program (at most 1,024 bytes, one read).
   */
  public void send(String peername, String message) {
    HostPort address = connected.get(peername);
    if (address == null) {
      out.line(notConnected(peername));
      return;
    }
    ChatMessage chat = new ChatMessage().withPeername(me.name()).withMessage(message);
    boolean sent = capabilities.has(peername, Capabilities.EOF) ? outbox.sendUtf8(address, chat)
        : outbox.send(address, chat);
    if (sent) {
      connected.touch(peername);
    }
  }

  /** {@code talk PEERNAME}: lines not starting with {@code /} go to that peer; {@code talk} alone leaves. */
  public void talk(String peername) {
    if (peername == null) {
      String was = current;
      current = null;
      out.line(was == null ? "not in a conversation (\"talk PEERNAME\" starts one)"
          : "left the conversation with " + Lines.printable(was));
      return;
    }
    if (!connected.contains(peername)) {
      out.line(notConnected(peername));
      return;
    }
    current = peername;
    out.line("talking to " + Lines.printable(peername) + ": plain lines go to " + Lines.printable(peername)
        + "; /talk leaves, /help lists commands");
  }

  /** The current conversation's peer, or null. */
  public String current() {
    return current;
  }

  /** {@code list connected peer}. */
  public void list() {
    Map<String, HostPort> peers = connected.snapshot();
    if (peers.isEmpty()) {
      out.line("no connected peers");
      return;
    }
    out.line("connected peers:");
    peers.forEach((name, address) -> out.line(Lines.peer(name, address)));
  }

  /** {@code who}: connected peers with their idle time and identity state. */
  public void who() {
    Map<String, HostPort> peers = connected.snapshot();
    if (peers.isEmpty()) {
      out.line("no connected peers");
      return;
    }
    out.line(String.format(Locale.ROOT, "    %-16s %-24s %-8s %s", "PEER", "ADDRESS", "IDLE", "IDENTITY"));
    peers.forEach((name, address) -> {
      Duration idle = connected.idle(name);
      out.line(String.format(Locale.ROOT, "    %-16s %-24s %-8s %s", Lines.printable(name),
          Lines.printable(address.toString()), idle == null ? "-" : idle(idle),
          Lines.printable(verification.apply(name))));
    });
  }

  /** {@code disconnect PEERNAME}; says so, since the other side is the one that prints the 2018 line. */
  public void disconnect(String peername) {
    HostPort address = connected.remove(peername);
    if (address == null) {
      out.line(notConnected(peername));
      return;
    }
    capabilities.forget(peername);
    boolean told = outbox.send(address, new Disconnect().withPeername(me.name()));
    out.line("disconnected from " + Lines.named(peername, address) + (told ? "" : " (it could not be told)"));
    endConversationWith(peername);
  }

  /** Disconnects from everyone, for exit; the futures complete once each is sent or failed. */
  public List<CompletableFuture<Boolean>> disconnectAll() {
    List<CompletableFuture<Boolean>> sends = new ArrayList<>();
    current = null;
    connected.takeAll().forEach((name, address) ->
        sends.add(outbox.sendInBackground(address, new Disconnect().withPeername(me.name()))));
    return sends;
  }

  /** Idle time as {@code 12 s}, {@code 5 min}, {@code 2 h 5 min}. */
  static String idle(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min";
    }
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }

  private void onMessage(ChatMessage message, MessageContext ctx) {
    if (connected.contains(message.getPeername())) {
      connected.touch(message.getPeername());
      out.line(Lines.message(message.getPeername(), message.getMessage()));
    } else {
      log.info("dropped CHAT_MESSAGE from {}: {} is not a connected peer", ctx.remote(),
          Lines.printable(message.getPeername()));
    }
  }

  private void onDisconnect(Disconnect disconnect, MessageContext ctx) {
    if (connected.remove(disconnect.getPeername()) != null) {
      capabilities.forget(disconnect.getPeername());
      out.line(Lines.disconnectedFrom(disconnect.getPeername()));
      endConversationWith(disconnect.getPeername());
    } else {
      log.info("ignored DISCONNECT from {}: {} is not a connected peer", ctx.remote(),
          Lines.printable(disconnect.getPeername()));
    }
  }

  private void endConversationWith(String peername) {
    if (peername.equals(current)) {
      current = null;
      out.line("conversation with " + Lines.printable(peername) + " ended");
    }
  }

  private static String notConnected(String peername) {
    return "not connected to " + Lines.printable(peername) + " (\"list connected peer\" shows who is)";
  }
}
