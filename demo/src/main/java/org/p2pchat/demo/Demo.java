package org.p2pchat.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.security.SecureRandom;
import org.p2pchat.cli.Durations;
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
  private final List<String> passed = new ArrayList<>();
  private String failedStep;
  private String failure;

  public Demo(PrintStream out, DemoServer.Factory servers, Duration stepTimeout) {
    this.out = out;
    this.servers = servers;
    this.stepTimeout = stepTimeout;
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
      Thread.currentThread().interrupt();
      failedStep = failedStep != null ? failedStep : "(interrupted)";
    }
    out.println();
    printScreen(patchouliScreen);
    printScreen(aliceScreen);
    printScreen(serverScreen);
    if (failedStep != null) {
      out.println("demo FAILED at step \"" + failedStep + "\": " + failure);
      return 1;
    }
    out.println("demo passed: every step was observed (" + String.join(", ", passed) + ")");
    return 0;
  }

  private ChatPeer peer(String name, HostPort server, Screen screen) throws IOException {
    // Keys in memory: the demo leaves nothing in the user's home directory.
    return ChatPeer.builder().name(name).server(server).replyTimeout(stepTimeout).output(screen)
        .identity(IdentityKeyPair.generate(new SecureRandom()), KnownPeers.inMemory()).build().start();
  }

  /** One peer and its screen, as the demo types into it. */
  private record Side(ChatPeer peer, Screen screen) {
    void type(String command) {
      screen.typed(command);
      peer.execute(command);
    }

    String name() {
      return peer.name();
    }

    String address() {
      return peer.advertisedAddress().toString();
    }
  }

  private void play(DemoServer server, Side patchouli, Side alice) throws InterruptedException {
    step("register",
        () -> alice.type("register"),
        () -> sees(alice, "Register Successful."),
        () -> patchouli.type("register"),
        () -> sees(patchouli, "Register Successful."));
    step("listpeer",
        () -> patchouli.type("listpeer"),
        () -> sees(patchouli, "display all peers:"),
        () -> sees(patchouli, "peername: alice---" + alice.address()),
        () -> sees(patchouli, "peername: patchouli---" + patchouli.address()));
    HostPort aliceAt = alice.peer().advertisedAddress();
    step("chat request",
        () -> patchouli.type("chat request " + aliceAt.host() + " " + aliceAt.port()),
        () -> seesStarting(alice, "chat_request: patchouli --- " + patchouli.address() + " (claims key "
            + patchouli.peer().fingerprint()),
        () -> sees(alice, "Please enter \"yes\" or \"no\":"));
    step("accept",
        () -> alice.type("yes"),
        () -> sees(alice, "accepted chat request from patchouli --- " + patchouli.address()
            + "; waiting for it to confirm its key"),
        () -> sees(patchouli, "chat accept: alice --- " + alice.address()),
        () -> seesStarting(patchouli, "chat with alice --- " + alice.address() + " is verified (key "
            + alice.peer().fingerprint() + ") and encrypted"),
        () -> seesStarting(alice, "chat with patchouli --- " + patchouli.address() + " is verified (key "
            + patchouli.peer().fingerprint() + ") and encrypted"));
    step("whois",
        () -> patchouli.type("whois alice"),
        () -> sees(patchouli, "alice " + alice.peer().fingerprint() + " verified"),
        () -> alice.type("whois patchouli"),
        () -> sees(alice, "patchouli " + patchouli.peer().fingerprint() + " verified"));
    step("chat message patchouli to alice",
        () -> patchouli.type("chat message alice Hello, alice."),
        () -> sees(alice, "patchouli: Hello, alice."));
    step("chat message alice to patchouli",
        () -> alice.type("chat message patchouli Hello, patchouli. Nice to meet you!"),
        () -> sees(patchouli, "alice: Hello, patchouli. Nice to meet you!"));
    step("list connected peer",
        () -> patchouli.type("list connected peer"),
        () -> sees(patchouli, "connected peers:"),
        () -> sees(patchouli, "peername: alice---" + alice.address()));
    step("disconnect",
        () -> patchouli.type("disconnect alice"),
        () -> sees(alice, "Disconnected from patchouli"),
        () -> alice.type("list connected peer"),
        () -> sees(alice, "no connected peers"));
    step("exit",
        () -> alice.type("exit"),
        () -> until("the server drops alice", () -> !server.registeredNames().contains("alice")),
        () -> patchouli.type("listpeer"),
        () -> sees(patchouli, "display all peers:"),
        () -> sees(patchouli, "peername: patchouli---" + patchouli.address()),
        () -> patchouli.type("exit"),
        () -> until("the server drops patchouli", () -> server.registeredNames().isEmpty()));
  }

  /** An action or a check; a check that fails sets {@link #failure}. */
  @FunctionalInterface
  private interface Move {
    void run() throws InterruptedException;
  }

  private void step(String name, Move... moves) throws InterruptedException {
    if (failedStep != null) {
      return;
    }
    for (Move move : moves) {
      move.run();
      if (failure != null) {
        failedStep = name;
        out.println("[FAIL] " + name + ": " + failure);
        return;
      }
    }
    passed.add(name);
    out.println("[ok]   " + name);
  }

  private void sees(Side side, String line) throws InterruptedException {
    if (!side.screen().await(line, stepTimeout)) {
      failure = side.name() + " did not show \"" + line + "\" within " + Durations.describe(stepTimeout);
    }
  }

  private void seesStarting(Side side, String prefix) throws InterruptedException {
    if (side.screen().awaitMatching(l -> l.startsWith(prefix), stepTimeout) == null) {
      failure = side.name() + " did not show a line starting \"" + prefix + "\" within "
          + Durations.describe(stepTimeout);
    }
  }

  private void until(String what, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        failure = "not observed within " + Durations.describe(stepTimeout) + ": " + what;
        return;
      }
      Thread.sleep(10);
    }
  }

  private void printScreen(Screen screen) {
    out.println("---- " + screen.label() + "'s screen ----");
    screen.lines().forEach(out::println);
    out.println();
  }

  /** The names of the steps, in order, as the demo reports them. */
  public static List<String> stepNames() {
    return List.of("register", "listpeer", "chat request", "accept", "whois", "chat message patchouli to alice",
        "chat message alice to patchouli", "list connected peer", "disconnect", "exit");
  }
}
