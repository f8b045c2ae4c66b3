package org.p2pchat.conformance.testimpl;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.sdk.Addresses;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;

/**
 * A small rendezvous server on the SDK, written from the protocol notes: correct with no flaws, and
 * broken in exactly the given ways otherwise.
 */
public final class TestServer implements RunningTarget {
  private final Map<String, HostPort> registry;
  private final TestNode node;

  private TestServer(Set<Flaw> flaws) throws IOException {
    this.registry = flaws.contains(Flaw.DROPS_LIST_ORDER) ? new HashMap<>() : new LinkedHashMap<>();
    Dispatcher dispatcher = new Dispatcher()
        .on(Register.class, this::register)
        .on(ListpeerRequest.class, this::listpeer)
        .on(ExitNetwork.class, this::exit);
    this.node = new TestNode(flaws, dispatcher);
  }

  public static TestServer start(Set<Flaw> flaws) throws IOException {
    TestServer server = new TestServer(flaws);
    server.node.start();
    return server;
  }

  private void register(Register msg, MessageContext ctx) {
    HostPort at = new HostPort(msg.getHost(), msg.getPort());
    boolean taken;
    synchronized (registry) {
      taken = registry.containsKey(msg.getPeername()) && !node.has(Flaw.ACCEPTS_DUPLICATE_NAMES);
      if (!taken) {
        registry.put(msg.getPeername(), at);
      }
    }
    node.reply(at, ctx, taken ? new RegisterError() : new RegisterSuccess());
  }

  private void listpeer(ListpeerRequest msg, MessageContext ctx) {
    HostPort asker;
    LinkedHashMap<String, HostPort> list;
    synchronized (registry) {
      asker = registry.get(msg.getPeername());
      list = new LinkedHashMap<>(registry);
    }
    if (asker != null) {
      node.reply(asker, ctx, new ListpeerReply().withPeerlist(list));
    } else if (node.has(Flaw.ANSWERS_UNREGISTERED_LISTPEER)) {
      node.send(Addresses.of(ctx.remote()), new ListpeerReply().withPeerlist(list));
    }
  }

  private void exit(ExitNetwork msg, MessageContext ctx) {
    if (!node.has(Flaw.IGNORES_EXIT)) {
      synchronized (registry) {
        registry.remove(msg.getPeername());
      }
    }
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
