package org.p2pchat.peer.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;

/** The peer's parts, built and wired together in one place. {@code trust} null: the 2018 behaviour. */
public final class Wiring {
  /** What {@link #wire} builds. */
  public record Parts(ServerSession server, OutgoingRequests outgoing, IncomingRequests incoming,
      Conversations conversations) {}

  private Wiring() {}

  /**
   * The mesh (docs/mesh.md): needs an identity ({@code trust}); starts its own thread, listens to chat links and
   * carries relayed chat for {@code conversations}. Call before the node is built (it registers handlers).
   */
  public static MeshLink mesh(Identity me, PeerTrust trust, Capabilities capabilities, ConnectedPeers connected,
      Conversations conversations, org.p2pchat.sdk.Dispatcher dispatcher, PeerOutput out, Clock clock,
      Duration connectTimeout, org.p2pchat.mesh.MeshConfig config) {
    MeshLink mesh = new MeshLink(me.name(), config, trust.keys(), trust, capabilities, out, clock, trust.random(),
        connectTimeout);
    mesh.start(connected, dispatcher);
    conversations.attachMesh(mesh);
    return mesh;
  }

  public static Parts wire(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected, HostPort server,
      Duration replyTimeout, Duration requestExpiry, boolean autoAccept, ScheduledExecutorService timer, Clock clock,
      PeerTrust trust, Capabilities capabilities, java.util.function.Function<String, String> verification) {
    AwaitingConfirm awaiting = new AwaitingConfirm();
    ServerSession session = new ServerSession(me, server, outbox, out, replyTimeout, trust);
    OutgoingRequests outgoing = new OutgoingRequests(me, outbox, out, connected, requestExpiry.plus(replyTimeout),
        capabilities, requestExpiry, clock, trust, session::listedKey);
    Conversations conversations = new Conversations(me, outbox, out, connected, capabilities, verification, trust,
        awaiting);
    IncomingRequests incoming = new IncomingRequests(me, outbox, out, connected, requestExpiry, autoAccept, timer,
        clock, capabilities, trust, awaiting, conversations);
    return new Parts(session, outgoing, incoming, conversations);
  }
}
