package org.p2pchat.peer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.testing.FakePeer;

/** Shared test settings and small helpers for driving peers against fakes. */
final class Peers {
  /** Longest wait for something that should happen. */
  static final Duration WAIT = Duration.ofSeconds(5);
  /** How long silence must last to count as "nothing was sent". */
  static final Duration QUIET = Duration.ofMillis(300);

  private Peers() {}

  /** A peer builder whose server is {@code server}, showing on {@code screen}. */
  static ChatPeer.Builder peer(String name, HostPort server, PeerOutput screen) {
    return ChatPeer.builder().name(name).server(server).output(screen);
  }

  /** Asserts that {@code line} shows on {@code screen} (after the previous line found) within {@link #WAIT}. */
  static void assertShows(Screen screen, String line) throws InterruptedException {
    assertTrue(screen.await(line, WAIT), () -> screen.label() + " never showed \"" + line + "\"; it showed "
        + screen.lines());
  }

  /** A fake server that answers every REGISTER with REGISTER_SUCCESS, as a 2018 server does for a free name. */
  static FakePeer acceptingServer() throws IOException {
    FakePeer server = FakePeer.start();
    server.on(Register.class, (reg, received) ->
        FakePeer.reply(new HostPort(reg.getHost(), reg.getPort()), new RegisterSuccess()));
    return server;
  }

  /** A fake peer named {@code name} that accepts every chat request, advertising "localhost" like 2018. */
  static FakePeer acceptingPeer(String name) throws IOException {
    FakePeer fake = FakePeer.start();
    fake.on(ChatRequest.class, (req, received) -> FakePeer.reply(new HostPort(req.getHost(), req.getPort()),
        new ChatAccept().withPeername(name).withHost("localhost").withPort(fake.address().port())));
    return fake;
  }

  /** A loopback address where nothing listens (a port just released). */
  static HostPort deadAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return new HostPort("127.0.0.1", socket.getLocalPort());
    }
  }

  /** The chat request a peer at {@code advertised} named {@code name} sends. */
  static ChatRequest requestFrom(String name, HostPort advertised) {
    return new ChatRequest().withPeername(name).withHost(advertised.host()).withPort(advertised.port());
  }
}
