package org.p2pchat.bench.internal;

import java.util.List;

/**
 * Every section, in run order: the one place that wires them. Later sections slot in here (and, if the
 * doc should show them, as a heading in {@link MarkdownDoc}): identity handshake and session-message
 * cost, the mesh simulation table and plot, PostgreSQL multi-server REGISTER rate, file-transfer MB/s.
 */
public final class Benchmarks {
  public static final List<Benchmark> ALL = List.of(
      // Issue 11's goals first, so --quick spends its budget on them.
      Benchmark.of(PeerBench.SECTION, true, ctx -> new PeerBench(ctx).run()),
      Benchmark.of(RegisterBench.SECTION, true, ctx -> new RegisterBench(ctx).run()),
      Benchmark.of(StartupBench.SECTION, true, ctx -> new StartupBench(ctx).run()),
      Benchmark.of(CodecBench.SECTION, true, ctx -> new CodecBench(ctx).run()),
      Benchmark.of(IdentityPeerBench.SECTION, true, ctx -> new IdentityPeerBench(ctx).run()),
      // The Java floors: the SDK against a minimal Java receiver, same Java sender.
      Benchmark.of(ThroughputBench.SECTION, true, ctx -> new ThroughputBench(ctx).run()),
      Benchmark.of(ServerBench.SECTION, false, ctx -> new ServerBench(ctx.settings(), ctx.results(),
          ctx.progress()).run()),
      // Several servers on one PostgreSQL (docs/registry.md); starts its own embedded PostgreSQL.
      Benchmark.of(RegistryBench.SECTION, false, ctx -> new RegistryBench(ctx).run()));

  private Benchmarks() {}

  public static List<String> names() {
    return ALL.stream().map(Benchmark::name).toList();
  }
}
