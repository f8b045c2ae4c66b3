package org.p2pchat.demo;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code p2pchat demo}: the seed's conversation between two peers and a server on loopback. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Plays the seed's conversation between two peers and a server on loopback.",
        "",
        "Starts a rendezvous server and two peers (patchouli and alice) on free loopback ports, plays the",
        "conversation through the real command handling (register, listpeer, chat request, accept, chat",
        "messages both ways, list connected peer, disconnect, exit) and prints each side's screen.",
        "Exits 0 only if every step was observed, 1 otherwise (naming the step).",
        "",
        "demo mesh: the seed's serverless network: patchouli and yuuka each chat with alice, then talk",
        "through her with no server at all (docs/mesh.md)."})
final class DemoCommand implements Callable<Integer> {
  private final PrintStream out;

  @Parameters(arity = "0..1", paramLabel = "STORY", description = "mesh: the serverless mesh story")
  String story;

  DemoCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if (story == null) {
      return Demo.withReferenceServer(out).run();
    }
    if ("mesh".equals(story)) {
      return MeshDemo.standard(out).run();
    }
    out.println("demo: unknown story '" + story + "' (known: mesh)");
    return 2;
  }
}
