package org.p2pchat.sdk;

import java.io.IOException;
import java.time.Duration;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatRequest;

/** A peer "alice" that accepts every chat request; a real node, since sdk's own tests come before sdk-testing. */
final class AcceptingPeer implements AutoCloseable {
  private final Node node;
  private final HostPort requester;

  private AcceptingPeer(Node node, HostPort requester) {
    this.node = node;
    this.requester = requester;
  }

  static AcceptingPeer start(HostPort requester) throws IOException {
    Node[] self = new Node[1];
    Dispatcher dispatcher = new Dispatcher().on(ChatRequest.class, (req, ctx) ->
        self[0].send(new HostPort(req.getHost(), req.getPort()), new ChatAccept().withPeername("alice")
            .withHost(self[0].address().host()).withPort(self[0].address().port())));
    self[0] = Node.builder().dispatcher(dispatcher).stopTimeout(Duration.ofSeconds(2)).build().start();
    return new AcceptingPeer(self[0], requester);
  }

  public HostPort address() {
    return node.address();
  }

  public void sendAccept(String name, HostPort claimed) throws SendException {
    node.send(requester, new ChatAccept().withPeername(name).withHost(claimed.host()).withPort(claimed.port()));
  }

  @Override
  public void close() {
    node.close();
  }
}
