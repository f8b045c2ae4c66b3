package org.p2pchat.conformance.testimpl;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;

/**
 * A small chat peer on the SDK that accepts every chat request by itself, written from the protocol
 * notes: correct with no flaws, broken in exactly the given ways otherwise. It keeps the lines it would
 * print, so tests can see what it displayed.
 */
public final class TestPeer implements RunningTarget {
  private final String name;
  private final Map<String, HostPort> connected = new ConcurrentHashMap<>();
  private final List<String> screen = new CopyOnWriteArrayList<>();
  private final TestNode node;

  private TestPeer(String name, Set<Flaw> flaws) throws IOException {
    this.name = name;
    Dispatcher dispatcher = new Dispatcher()
        .on(ChatRequest.class, this::request)
        .on(ChatMessage.class, this::message)
        .on(Disconnect.class, this::disconnect);
    this.node = new TestNode(flaws, dispatcher);
  }

  public static TestPeer start(String name, Set<Flaw> flaws) throws IOException {
    TestPeer peer = new TestPeer(name, flaws);
    peer.node.start();
    return peer;
  }

  private void request(ChatRequest msg, MessageContext ctx) {
    HostPort at = new HostPort(msg.getHost(), msg.getPort());
    connected.put(msg.getPeername(), at);
    screen.add("chat_request: " + msg.getPeername() + " --- " + at + " (accepted)");
    HostPort me = node.address();
    node.reply(at, ctx, new ChatAccept().withPeername(name).withHost(me.host()).withPort(me.port()));
  }

  private void message(ChatMessage msg, MessageContext ctx) {
    if (connected.containsKey(msg.getPeername())) {
      screen.add(msg.getPeername() + ": " + msg.getMessage());
    }
  }

  private void disconnect(Disconnect msg, MessageContext ctx) {
    if (connected.remove(msg.getPeername()) != null) {
      screen.add("Disconnected from " + msg.getPeername());
    }
  }

  /** What the peer would have printed. */
  public List<String> screen() {
    return List.copyOf(screen);
  }

  @Override
  public HostPort address() {
    return node.address();
  }

  @Override
  public void close() {
    node.close();
  }
}
