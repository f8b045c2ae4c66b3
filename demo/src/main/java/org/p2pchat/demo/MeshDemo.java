package org.p2pchat.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.p2pchat.cli.Durations;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.peer.ChatPeer;
import org.p2pchat.peer.Screen;
import org.p2pchat.protocol.HostPort;

/**
 * {@code p2pchat demo mesh}: the seed README's serverless network. Patchouli (in the library) and Yuuka (in the
 * sunflower field) each chat with Alice; with no server at all, Patchouli and Yuuka then talk through her, and
 * when Alice leaves, Patchouli is told that Yuuka can no longer be reached. Every step goes through the real
 * command handling; exits 0 only if every step was observed.
 */
public final class MeshDemo {
  private final PrintStream out;
  private final Duration stepTimeout;
  private final Script script;

  public MeshDemo(PrintStream out, Duration stepTimeout) {
    this.out = out;
    this.stepTimeout = stepTimeout;
    this.script = new Script(out, stepTimeout);
  }

  /** The mesh may need a few hello intervals to notice a change (docs/mesh.md section 7): 15 s a step. */
  public static MeshDemo standard(PrintStream out) {
    return new MeshDemo(out, Duration.ofSeconds(15));
  }

  /** Plays the story; 0 if every step was observed, 1 if one was not, 2 if it could not start. */
  public int run() {
    Screen ps = new Screen("patchouli");
    Screen as = new Screen("alice");
    Screen ys = new Screen("yuuka");
    out.println("p2pchat demo mesh: patchouli, alice and yuuka on free loopback ports, with no server at all");
    try (ChatPeer alice = peer("alice", as);
        ChatPeer patchouli = peer("patchouli", ps);
        ChatPeer yuuka = peer("yuuka", ys)) {
      out.println("patchouli on " + patchouli.advertisedAddress() + ", alice on " + alice.advertisedAddress()
          + ", yuuka on " + yuuka.advertisedAddress());
      out.println();
      play(new Side(patchouli, ps), new Side(alice, as), new Side(yuuka, ys));
    } catch (IOException e) {
      out.println("demo: cannot start: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      script.interrupted();
    }
    return script.finish("demo mesh", List.of(ps, as, ys));
  }

  private ChatPeer peer(String name, Screen screen) throws IOException {
    return ChatPeer.builder().name(name).noServer(true).output(screen)
        .identity(IdentityKeyPair.generate(new SecureRandom()), KnownPeers.inMemory()).build().start();
  }

  private void play(Side patchouli, Side alice, Side yuuka) throws InterruptedException {
    HostPort aliceAt = alice.peer().advertisedAddress();
    script.step("no server",
        () -> patchouli.type("register"),
        () -> script.sees(patchouli, "no server: this peer runs with --no-server (chat directly with peers, or through the mesh)"));
    script.step("patchouli and alice chat",
        () -> patchouli.type("chat request " + aliceAt.host() + " " + aliceAt.port()),
        () -> script.sees(alice, "Please enter \"yes\" or \"no\":"),
        () -> alice.type("yes patchouli"),
        () -> script.seesStarting(patchouli, "chat with alice --- " + aliceAt + " is verified"));
    script.step("yuuka and alice chat",
        () -> yuuka.type("chat request " + aliceAt.host() + " " + aliceAt.port()),
        () -> script.sees(alice, "Please enter \"yes\" or \"no\":"),
        () -> alice.type("yes yuuka"),
        () -> script.seesStarting(yuuka, "chat with alice --- " + aliceAt + " is verified"));
    script.step("list network",
        () -> until(patchouli, "yuuka reachable through alice", "peername: yuuka, 2 hops, via alice"),
        () -> until(yuuka, "patchouli reachable through alice", "peername: patchouli, 2 hops, via alice"));
    script.step("chat message patchouli to yuuka",
        () -> patchouli.type("chat message yuuka Hello, Yuuka. Alice says the sunflowers are out."),
        () -> script.sees(yuuka, "patchouli: Hello, Yuuka. Alice says the sunflowers are out. (via alice)"));
    script.step("chat message yuuka to patchouli",
        () -> yuuka.type("chat message patchouli They are. Come and see them, Patchouli."),
        () -> script.sees(patchouli, "yuuka: They are. Come and see them, Patchouli. (via alice)"),
        () -> acknowledged(yuuka));
    script.step("alice leaves",
        () -> alice.type("exit"),
        () -> script.sees(patchouli, "Disconnected from alice"),
        () -> until(patchouli, "yuuka no longer reachable",
            "no peers reachable through the mesh (a chat with a p2pchat peer links you to its network)"),
        () -> patchouli.type("chat message yuuka Are you still there?"),
        () -> script.seesMatching(patchouli, l -> l.startsWith("not delivered to yuuka: no route through the mesh")
            || l.startsWith("not connected to yuuka"), "a line saying yuuka cannot be reached")); // alone, patchouli has no mesh link left at all
  }

  /** The side's relayed messages were all acknowledged end to end (none awaits an acknowledgement). */
  private void acknowledged(Side side) throws InterruptedException {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    while (side.peer().meshPendingCount() > 0) {
      if (System.nanoTime() > deadline) {
        script.fail(side.name() + "'s message was not acknowledged within " + Durations.describe(stepTimeout));
        return;
      }
      Thread.sleep(20);
    }
  }

  /** Types {@code list network} about once a second until {@code line} shows, as a user would. */
  private void until(Side side, String what, String line) throws InterruptedException {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    while (true) {
      side.type("list network");
      if (side.screen().await(line, Duration.ofSeconds(1))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        script.fail("not observed within " + Durations.describe(stepTimeout) + ": " + what + " (\"" + line + "\")");
        return;
      }
    }
  }

  /** The names of the steps, in order. */
  public static List<String> stepNames() {
    return List.of("no server", "patchouli and alice chat", "yuuka and alice chat", "list network",
        "chat message patchouli to yuuka", "chat message yuuka to patchouli", "alice leaves");
  }
}
