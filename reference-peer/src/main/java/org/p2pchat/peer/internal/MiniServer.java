package org.p2pchat.peer.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.Node;
import org.p2pchat.sdk.SendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smallest rendezvous server that behaves like the 2018 one (REGISTER, LISTPEER, EXIT_NETWORK, in
 * memory), so the demo needs nothing outside this module. The real server is the reference-server
 * module.
 */
public final class MiniServer implements DemoServer {
  private static final Logger log = LoggerFactory.getLogger(MiniServer.class);

  private final PeerOutput screen;
  private final Map<String, HostPort> registry = new LinkedHashMap<>();
  private final Node node;

  private MiniServer(PeerOutput screen) {
    this.screen = screen;
    Dispatcher dispatcher = new Dispatcher()
        .on(Register.class, (reg, ctx) -> register(reg))
        .on(ListpeerRequest.class, (req, ctx) -> listPeers(req.getPeername()))
        .on(ExitNetwork.class, (req, ctx) -> exit(req.getPeername()));
    this.node = Node.builder().name("demo-server").workerThreads(1).stopTimeout(Duration.ofSeconds(2))
        .dispatcher(dispatcher).build();
  }

  /** Starts one on 127.0.0.1 at a free port. */
  public static MiniServer start(PeerOutput screen) throws IOException {
    MiniServer server = new MiniServer(screen);
    server.node.start();
    screen.line("listening on " + server.node.address());
    return server;
  }

  @Override
  public HostPort address() {
    return node.address();
  }

  @Override
  public synchronized Set<String> registeredNames() {
    return new LinkedHashSet<>(registry.keySet());
  }

  @Override
  public void close() {
    node.stop(Duration.ofSeconds(2));
  }

  private void register(Register reg) {
    HostPort at = new HostPort(reg.getHost(), reg.getPort());
    boolean fresh;
    synchronized (this) {
      fresh = registry.putIfAbsent(reg.getPeername(), at) == null;
    }
    screen.line("REGISTER " + Lines.named(reg.getPeername(), at) + " -> "
        + (fresh ? "REGISTER_SUCCESS" : "REGISTER_ERROR (name taken)"));
    reply(at, fresh ? new RegisterSuccess() : new RegisterError());
  }

  private void listPeers(String name) {
    HostPort at;
    LinkedHashMap<String, HostPort> peers;
    synchronized (this) {
      at = registry.get(name);
      peers = new LinkedHashMap<>(registry);
    }
    if (at == null) {
      screen.line("LISTPEER from " + Lines.printable(name) + " -> no reply (not registered)");
      return;
    }
    screen.line("LISTPEER from " + Lines.printable(name) + " -> LISTPEER with " + peers.size()
        + (peers.size() == 1 ? " peer" : " peers"));
    reply(at, new ListpeerReply().withPeerlist(peers));
  }

  private void exit(String name) {
    boolean removed;
    synchronized (this) {
      removed = registry.remove(name) != null;
    }
    screen.line("EXIT_NETWORK " + Lines.printable(name) + (removed ? " -> removed" : " -> was not registered"));
  }

  private void reply(HostPort to, Object message) {
    try {
      node.send(to, message);
    } catch (SendException e) {
      log.warn("{}", e.getMessage());
    }
  }
}
