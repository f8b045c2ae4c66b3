package org.p2pchat.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.security.SecureRandom;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.peer.ChatPeer;
import org.p2pchat.peer.Screen;
import org.p2pchat.protocol.HostPort;

/**
 * The seed's example conversation, played between two real peers, patchouli and alice, and a
 * rendezvous server on free loopback ports. Every command goes through the same command handling as
 * a typed one; every step is checked against what the other side's screen shows. Both peers have an identity
 * (docs/identity.md), so their chat is verified and encrypted, which the {@code whois} step shows.
 */
public final class Demo {
  private final PrintStream out;
  private final DemoServer.Factory servers;
  private final Duration stepTimeout;
  private final Script script;

  public Demo(PrintStream out, DemoServer.Factory servers, Duration stepTimeout) {
    this.out = out;
    this.servers = servers;
    this.stepTimeout = stepTimeout;
    this.script = new Script(out, stepTimeout);
  }

  /** A demo against the reference server, waiting up to 5 s for each expected line. */
  public static Demo withReferenceServer(PrintStream out) {
    return new Demo(out, ReferenceDemoServer::start, Duration.ofSeconds(5));
  }

  /** Plays the conversation; returns 0 if every step was observed, 1 if one was not, 2 if it could not start. */
  public int run() {
    Screen serverScreen = new Screen("server");
    Screen patchouliScreen = new Screen("patchouli");
    Screen aliceScreen = new Screen("alice");
    out.println("p2pchat demo: a rendezvous server and two peers, patchouli and alice, on free loopback ports");
    try (DemoServer server = servers.start(serverScreen);
        ChatPeer alice = peer("alice", server.address(), aliceScreen);
        ChatPeer patchouli = peer("patchouli", server.address(), patchouliScreen)) {
      out.println("server on " + server.address() + ", patchouli on " + patchouli.advertisedAddress()
          + ", alice on " + alice.advertisedAddress());
      out.println();
      play(server, new Side(patchouli, patchouliScreen), new Side(alice, aliceScreen));
    } catch (IOException e) {
      out.println("demo: cannot start: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      script.interrupted();
    }
    return script.finish("demo", List.of(patchouliScreen, aliceScreen, serverScreen));
  }

  private ChatPeer peer(String name, HostPort server, Screen screen) throws IOException {
    // Keys in memory: the demo leaves nothing in the user's home directory.
    return ChatPeer.builder().name(name).server(server).replyTimeout(stepTimeout).output(screen)
        .identity(IdentityKeyPair.generate(new SecureRandom()), KnownPeers.inMemory()).build().start();
  }

  private void play(DemoServer server, Side patchouli, Side alice) throws InterruptedException {
    script.step("register",
        () -> alice.type("register"),
        () -> script.sees(alice, "Register Successful."),
        () -> patchouli.type("register"),
        () -> script.sees(patchouli, "Register Successful."));
    script.step("listpeer",
        () -> patchouli.type("listpeer"),
        () -> script.sees(patchouli, "display all peers:"),
        () -> script.sees(patchouli, "peername: alice---" + alice.address()),
        () -> script.sees(patchouli, "peername: patchouli---" + patchouli.address()));
    HostPort aliceAt = alice.peer().advertisedAddress();
    script.step("chat request",
        () -> patchouli.type("chat request " + aliceAt.host() + " " + aliceAt.port()),
        () -> script.seesStarting(alice, "chat_request: patchouli --- " + patchouli.address() + " (claims key "
            + patchouli.peer().fingerprint()),
        () -> script.sees(alice, "Please enter \"yes\" or \"no\":"));
    script.step("accept",
        () -> alice.type("yes"),
        () -> script.sees(alice, "accepted chat request from patchouli --- " + patchouli.address()
            + "; waiting for it to confirm its key"),
        () -> script.sees(patchouli, "chat accept: alice --- " + alice.address()),
        () -> script.seesStarting(patchouli, "chat with alice --- " + alice.address() + " is verified (key "
            + alice.peer().fingerprint() + ") and encrypted"),
        () -> script.seesStarting(alice, "chat with patchouli --- " + patchouli.address() + " is verified (key "
            + patchouli.peer().fingerprint() + ") and encrypted"));
    script.step("whois",
        () -> patchouli.type("whois alice"),
        () -> script.sees(patchouli, "alice " + alice.peer().fingerprint() + " verified"),
        () -> alice.type("whois patchouli"),
        () -> script.sees(alice, "patchouli " + patchouli.peer().fingerprint() + " verified"));
    script.step("chat message patchouli to alice",
        () -> patchouli.type("chat message alice Hello, alice."),
        () -> script.sees(alice, "patchouli: Hello, alice."));
    script.step("chat message alice to patchouli",
        () -> alice.type("chat message patchouli Hello, patchouli. Nice to meet you!"),
        () -> script.sees(patchouli, "alice: Hello, patchouli. Nice to meet you!"));
    script.step("list connected peer",
        () -> patchouli.type("list connected peer"),
        () -> script.sees(patchouli, "connected peers:"),
        () -> script.sees(patchouli, "peername: alice---" + alice.address()));
    script.step("disconnect",
        () -> patchouli.type("disconnect alice"),
        () -> script.sees(alice, "Disconnected from patchouli"),
        () -> alice.type("list connected peer"),
        () -> script.sees(alice, "no connected peers"));
    script.step("exit",
        () -> alice.type("exit"),
        () -> script.until("the server drops alice", () -> !server.registeredNames().contains("alice")),
        () -> patchouli.type("listpeer"),
        () -> script.sees(patchouli, "display all peers:"),
        () -> script.sees(patchouli, "peername: patchouli---" + patchouli.address()),
        () -> patchouli.type("exit"),
        () -> script.until("the server drops patchouli", () -> server.registeredNames().isEmpty()));
  }

  /** The names of the steps, in order, as the demo reports them. */
  public static List<String> stepNames() {
    return List.of("register", "listpeer", "chat request", "accept", "whois", "chat message patchouli to alice",
        "chat message alice to patchouli", "list connected peer", "disconnect", "exit");
  }
}
