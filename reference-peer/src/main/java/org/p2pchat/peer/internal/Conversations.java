package org.p2pchat.peer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chatting with connected peers: sending and showing messages, listing and disconnecting. */
public final class Conversations {
  private static final Logger log = LoggerFactory.getLogger(Conversations.class);

  private final Identity me;
  private final Outbox outbox;
  private final PeerOutput out;
  private final ConnectedPeers connected;

  public Conversations(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected) {
    this.me = me;
    this.outbox = outbox;
    this.out = out;
    this.connected = connected;
  }

  public void registerHandlers(Dispatcher dispatcher) {
    dispatcher.on(ChatMessage.class, this::onMessage);
    dispatcher.on(Disconnect.class, this::onDisconnect);
  }

  /** {@code chat message PEERNAME MESSAGE}. */
  public void send(String peername, String message) {
    HostPort address = connected.get(peername);
    if (address == null) {
      out.line(notConnected(peername));
      return;
    }
    outbox.send(address, new ChatMessage().withPeername(me.name()).withMessage(message));
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

  /** {@code disconnect PEERNAME}. */
  public void disconnect(String peername) {
    HostPort address = connected.remove(peername);
    if (address == null) {
      out.line(notConnected(peername));
      return;
    }
    outbox.send(address, new Disconnect().withPeername(me.name()));
  }

  /** Disconnects from everyone, for exit; the futures complete once each is sent or failed. */
  public List<CompletableFuture<Boolean>> disconnectAll() {
    List<CompletableFuture<Boolean>> sends = new ArrayList<>();
    connected.takeAll().forEach((name, address) ->
        sends.add(outbox.sendInBackground(address, new Disconnect().withPeername(me.name()))));
    return sends;
  }

  private void onMessage(ChatMessage message, MessageContext ctx) {
    if (connected.contains(message.getPeername())) {
      out.line(Lines.message(message.getPeername(), message.getMessage()));
    } else {
      log.info("dropped CHAT_MESSAGE from {}: {} is not a connected peer", ctx.remote(),
          Lines.printable(message.getPeername()));
    }
  }

  private void onDisconnect(Disconnect disconnect, MessageContext ctx) {
    if (connected.remove(disconnect.getPeername()) != null) {
      out.line(Lines.disconnectedFrom(disconnect.getPeername()));
    } else {
      log.info("ignored DISCONNECT from {}: {} is not a connected peer", ctx.remote(),
          Lines.printable(disconnect.getPeername()));
    }
  }

  private static String notConnected(String peername) {
    return "not connected to " + Lines.printable(peername) + " (\"list connected peer\" shows who is)";
  }
}
