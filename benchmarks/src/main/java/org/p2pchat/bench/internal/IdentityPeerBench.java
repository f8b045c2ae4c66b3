package org.p2pchat.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.p2pchat.identity.Endpoint;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.HandshakeFields;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.InitiatorHandshake;
import org.p2pchat.identity.Session;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ChatRequest;

/**
 * Identity (issue 14) end to end: the reference peer receiving sealed CHAT_MESSAGEs (identity-v1 session) against
 * the same peer receiving plain ones (a 2018 chat) and the minimal C receiver, all fed by the same Java load
 * generator (the C driver cannot seal); and the cost of the chat handshake (request, signed accept, confirm) on
 * the responding peer. Two peer processes, one per kind of chat, because a name pinned by a handshake may no
 * longer send plaintext; all three receivers pinned to one CPU, run one after the other within a round. At most
 * {@link #WINDOW} messages are in flight, under the session's 64-message replay window, so mild reordering never
 * drops a sealed message. Goal: sealed CPU per message ≤ 1.10× plain.
 */
public final class IdentityPeerBench {
  public static final String SECTION = "identity";
  public static final double SEALED_GOAL = 1.10;
  static final int WINDOW = 48;
  private static final int MAX_SENDERS = 16;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);
  /** Warm-up ends once the JIT is quiet ({@link JitWarmup}) or after this long (5 s in a quick run). */
  static final Duration WARM_LIMIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchContext ctx;
  private final Settings settings;
  private final Results results;
  private final SecureRandom random = new SecureRandom();
  private final BlockingQueue<String> sunk = new LinkedBlockingQueue<>();

  public IdentityPeerBench(BenchContext ctx) {
    this.ctx = ctx;
    this.settings = ctx.settings();
    this.results = ctx.results();
  }


  private record Run(double rate, double cpuMicros, long sent, long shown, long outOfOrder) {}

  public void run() throws Exception {
    Optional<Path> jar = ProjectRoot.runnableJar(settings.root(), "reference-peer");
    CBuild.Outcome c = ctx.c();
    if (c.programs().isEmpty() || jar.isEmpty()) {
      String why = c.programs().isEmpty() ? c.problem() : "no reference-peer jar (mvn -B -q -DskipTests package)";
      for (int n : levels()) {
        results.goal(Goal.skipped(goalName(n), "≤ " + SEALED_GOAL + "×", why));
      }
      return;
    }
    List<AutoCloseable> open = new ArrayList<>();
    try (ServerSocket sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread sinkThread = new Thread(() -> drain(sink), "bench-identity-sink");
      sinkThread.setDaemon(true);
      sinkThread.start();
      HostPort me = new HostPort("127.0.0.1", sink.getLocalPort());
      ChatTarget floor = target("c-receiver", ChildProcess.start("c-receiver",
          List.of(c.programs().get().receiver().toString()), settings.logDir()), open);
      ChatTarget plain = target("peer-plain", peer("idplain", jar.get(), me), open);
      ChatTarget sealed = target("peer-sealed", peer("idsealed", jar.get(), me), open);

      // The plain chat: a 2018 CHAT_REQUEST. The sealed one: a full identity-v1 handshake.
      send(plain.address(), WireJson.encode(new ChatRequest().withPeername(Payloads.SENDER).withHost(me.host())
          .withPort(me.port()), WireJson.Style.PYTHON));
      awaitSunk("CHAT_ACCEPT");
      // One session per sender, as 16 people chatting with one peer would have: each sender's counters stay in
      // order, as the replay window expects of one conversation.
      List<Session> sessions = new ArrayList<>();
      for (int i = 0; i < MAX_SENDERS; i++) {
        sessions.add(handshake(IdentityKeyPair.generate(random), "s" + i + Payloads.SENDER, me, sealed));
      }

      List<List<String>> rows = new ArrayList<>();
      long lost = 0;
      long disorder = 0;
      run(floor, 4, Duration.ofMillis(300), "warm", plainPayload("warm"));
      String warmPlain = warm(plain, tag -> plainPayload(tag));
      String warmSealed = warm(sealed, tag -> sealedPayload(tag, sessions));
      for (int n : levels()) {
        Attempts.Outcome<Run[]> o = Attempts.measure("identity, " + n + " senders", ctx, ctx.tries(), () -> {
          String tag = "i" + n + "t" + System.nanoTime() % 100_000;
          return new Run[] {
              run(floor, n, settings.runTime(), tag, plainPayload(tag)),
              run(plain, n, settings.runTime(), tag, plainPayload(tag)),
              run(sealed, n, settings.runTime(), tag, sealedPayload(tag, sessions))};
        });
        Run f = o.value()[0];
        Run p = o.value()[1];
        Run s = o.value()[2];
        lost += (f.sent - f.shown) + (p.sent - p.shown) + (s.sent - s.shown);
        disorder += p.outOfOrder + s.outOfOrder;
        String param = Integer.toString(n);
        results.add(Measurement.of(SECTION, "c-receiver", param, "cpu", "us/msg", f.cpuMicros));
        results.add(Measurement.of(SECTION, "peer-plain", param, "cpu", "us/msg", p.cpuMicros));
        results.add(Measurement.of(SECTION, "peer-sealed", param, "cpu", "us/msg", s.cpuMicros));
        results.add(Measurement.of(SECTION, "c-receiver", param, "rate", "msg/s", f.rate));
        results.add(Measurement.of(SECTION, "peer-plain", param, "rate", "msg/s", p.rate));
        results.add(Measurement.of(SECTION, "peer-sealed", param, "rate", "msg/s", s.rate));
        double cpuRatio = s.cpuMicros / p.cpuMicros;
        results.add(Measurement.of(SECTION, "peer-sealed", param, "cpu-ratio", "x", cpuRatio));
        results.goal(Goal.atMost(goalName(n), cpuRatio, SEALED_GOAL, "×", "%.2f", o.disturbance(),
            Verdict.Kind.RATIO));
        rows.add(List.of(param, Format.num("%,.0f", f.rate), Format.num("%.1f", f.cpuMicros),
            Format.num("%,.0f", p.rate), Format.num("%.1f", p.cpuMicros), Format.num("%,.0f", s.rate),
            Format.num("%.1f", s.cpuMicros), Format.num("%.2f", cpuRatio), Format.num("%.2f", s.rate / p.rate),
            s.shown + " / " + s.sent + (s.outOfOrder > 0 ? ", " + s.outOfOrder + " out of order" : ""), o.disturbance().describe() + (o.tries() > 1 ? ", " + o.tries() + " tries" : "")));
        ctx.progress().printf("identity: %d senders: C %.1f µs/msg; plain %,.0f msg/s %.1f µs/msg; sealed %,.0f "
            + "msg/s %.1f µs/msg (%s)%n", n, f.cpuMicros, p.rate, p.cpuMicros, s.rate, s.cpuMicros,
            o.disturbance().describe());
      }
      results.check("identity: every plain and sealed message sent was shown", lost == 0, lost + " lost");
      // Not a check: separate connections may overtake each other, and the peer shows what it opens; sealed
      // messages within the replay window are accepted in any order (docs/identity.md section 6).
      results.note("identity: messages shown out of their sender's order (plain and sealed peer): " + disorder);
      results.table(new Table("identity-session", "Sealed (identity-v1) vs plain CHAT_MESSAGE receive, reference peer",
          List.of("senders", "C msg/s", "C CPU µs/msg", "plain msg/s", "plain CPU µs/msg", "sealed msg/s",
              "sealed CPU µs/msg", "CPU sealed ÷ plain", "rate sealed ÷ plain", "sealed shown / sent",
              "machine during the round"), rows,
          "one run of " + Format.num("%.1f s", settings.runTime().toMillis() / 1e3) + " each, C receiver, plain peer, "
              + "sealed peer; all fed by the Java load generator (connect, write, close) with at most " + WINDOW
              + " messages in flight; peers warmed until the JIT was quiet (plain: " + warmPlain + "; sealed: "
              + warmSealed + "); " + (Cpus.canPin() ? "receivers pinned to CPU " + Cpus.TARGET_CPU
              : "not pinned") + "; CPU from /proc (10 ms ticks)"));
      handshakes(sealed, me);
    } finally {
      for (AutoCloseable closeable : open) {
        closeable.close();
      }
    }
  }

  /**
   * Warms a peer in one-second runs until its JIT is quiet ({@link JitWarmup#QUIET_SHARE} of its CPU in the
   * last one (at most {@link #WARM_LIMIT}): otherwise compiling the receive path, which takes tens of thousands of
   * messages on a loaded machine and more code when sealed (the AEAD, the box checks), is counted as receive CPU in
   * the measured runs. Returns what it took, for the table's note.
   */
  private String warm(ChatTarget t, java.util.function.Function<String, IntFunction<byte[]>> payload) throws Exception {
    long[] messages = {0};
    int[] round = {0};
    JitWarmup.Outcome warmed = JitWarmup.untilQuiet(t.process(), settings.quick() ? Duration.ofSeconds(5) : WARM_LIMIT,
        levels().size(), () -> {
          // Every sender count measured, in turn: more senders take paths fewer never do.
          List<Integer> counts = levels();
          int senders = counts.get(round[0] % counts.size());
          String tag = "warm" + round[0]++;
          messages[0] += run(t, senders, Duration.ofSeconds(1), tag, payload.apply(tag)).shown;
        });
    String took = Format.num("%,.0f messages, ", messages[0]) + warmed.describe();
    ctx.progress().printf("identity: warmed %s: %s%n", t.name(), took);
    return took;
  }

  private List<Integer> levels() {
    List<Integer> levels = new ArrayList<>();
    for (int n : List.of(1, 16)) {
      if (settings.concurrencies().contains(n) || settings.concurrencies().isEmpty()) {
        levels.add(n);
      }
    }
    return levels.isEmpty() ? List.of(1, 16) : levels;
  }

  private static String goalName(int n) {
    return "sealed CHAT_MESSAGE receive CPU ÷ plain, " + n + " sender" + (n == 1 ? "" : "s");
  }

  /** Handshakes one after the other, each with a new name: the responder's CPU, ours, and the rate. */
  private void handshakes(ChatTarget peer, HostPort me) throws Exception {
    int count = settings.quick() ? 60 : 300;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Attempts.Outcome<double[]> o = Attempts.measure("identity handshakes", ctx, ctx.tries(), () -> {
      long peerCpu = peer.process().cpuNanos();
      long ownCpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      String tag = "hs" + System.nanoTime() % 100_000 + "x";
      for (int i = 0; i < count; i++) {
        handshake(IdentityKeyPair.generate(random), tag + i, me, peer);
      }
      long wall = System.nanoTime() - start;
      return new double[] {count / (wall / 1e9), (peer.process().cpuNanos() - peerCpu) / 1e6 / count,
          (threads.getCurrentThreadCpuTime() - ownCpu) / 1e6 / count, wall / 1e6 / count};
    });
    double[] h = o.value();
    results.add(Measurement.of(SECTION, "handshake", "1", "rate", "handshakes/s", h[0]));
    results.add(Measurement.of(SECTION, "handshake", "1", "responder-cpu", "ms", h[1]));
    results.add(Measurement.of(SECTION, "handshake", "1", "initiator-cpu", "ms", h[2]));
    ctx.progress().printf("identity: %d handshakes: %.0f/s, %.2f ms each; responder CPU %.2f ms, initiator %.2f ms "
        + "(%s)%n", count, h[0], h[3], h[1], h[2], o.disturbance().describe());
    results.table(new Table("identity-handshake", "Chat handshake (CHAT_REQUEST, signed CHAT_ACCEPT, CHAT_CONFIRM)",
        List.of("handshakes", "handshakes/s (one at a time)", "ms per handshake", "responder (peer) CPU ms",
            "initiator CPU ms (benchmark thread)", "machine"),
        List.of(List.of(Integer.toString(count), Format.num("%,.0f", h[0]), Format.num("%.2f", h[3]),
            Format.num("%.2f", h[1]), Format.num("%.2f", h[2]), o.disturbance().describe()
                + (o.tries() > 1 ? ", " + o.tries() + " tries" : ""))),
        "each with a new name and key, until the peer prints that the chat is verified; the responder's CPU "
            + "includes its whole per-chat work (accept, connect back, print), the initiator's only the core's "
            + "crypto and JSON in this process"));
  }

  /** One identity-v1 handshake as initiator {@code name}; returns once the peer says the chat is verified. */
  private Session handshake(IdentityKeyPair key, String name, HostPort me, ChatTarget peer) throws Exception {
    InitiatorHandshake h = InitiatorHandshake.start(key, new Endpoint(name, me.host(), me.port()), null,
        HandshakeConfig.DEFAULTS, random, Instant.now());
    HandshakeFields f = h.requestFields();
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("peername", name);
    request.put("host", me.host());
    request.put("port", me.port());
    request.put("features", f.features());
    request.put("idkey", f.idkey());
    request.put("ephkey", f.ephkey());
    request.put("nonce", f.nonce());
    send(peer.address(), envelope("CHAT_REQUEST", request));
    JsonNode d = JSON.readTree(awaitSunk("CHAT_ACCEPT")).get("msgdata");
    List<String> features = new ArrayList<>();
    d.path("features").forEach(n -> features.add(n.asText()));
    Handshake.InitiatorResult result = h.onAccept(new Endpoint(d.get("peername").asText(), d.get("host").asText(),
        d.get("port").asInt()), new HandshakeFields(features, d.path("idkey").asText(null),
        d.path("ephkey").asText(null), d.path("nonce").asText(null), d.path("sig").asText(null)), Instant.now());
    Map<String, Object> confirm = new LinkedHashMap<>();
    confirm.put("peername", name);
    confirm.put("sig", result.confirmSig());
    send(peer.address(), envelope(Handshake.CONFIRM_MSGTYPE, confirm));
    peer.process().awaitLine(l -> l.contains("chat with " + name + " ") && l.contains("is verified"), STEP_TIMEOUT);
    return result.session();
  }

  /**
   * Each load thread is one sender: its own index and counter, so "TAG-SENDER-SEQ" lets the tally check every
   * sender's order. Plain messages come from "loadgen"; sealed ones from "sN" + "loadgen", its own session.
   */
  private static IntFunction<byte[]> plainPayload(String tag) {
    AtomicLong senders = new AtomicLong();
    ThreadLocal<long[]> me = ThreadLocal.withInitial(() -> new long[] {senders.getAndIncrement(), 0});
    return i -> {
      long[] s = me.get();
      return Payloads.chatMessage(tag + "-" + s[0] + "-" + s[1]++);
    };
  }

  private static IntFunction<byte[]> sealedPayload(String tag, List<Session> sessions) {
    AtomicLong senders = new AtomicLong();
    ThreadLocal<long[]> me = ThreadLocal.withInitial(() -> new long[] {senders.getAndIncrement(), 0});
    return i -> {
      long[] s = me.get();
      int sender = (int) s[0];
      return sealedMessage(sessions.get(sender), "s" + sender + Payloads.SENDER, tag + "-" + sender + "-" + s[1]++);
    };
  }

  private static byte[] sealedMessage(Session session, String name, String text) {
    try {
      Session.Sealed s = session.seal("CHAT_MESSAGE", JSON.writeValueAsBytes(Map.of("message", text)));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("peername", name);
      data.put("seq", s.seq());
      data.put("box", s.boxBase64url());
      return envelope("CHAT_MESSAGE", data);
    } catch (Exception e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  private static byte[] envelope(String msgtype, Map<String, Object> msgdata) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("msgtype", msgtype);
    tree.put("msgdata", msgdata);
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ChildProcess peer(String name, Path jar, HostPort sink) throws IOException {
    return ReferenceApp.start(name, jar, "peer", List.of("--name", name, "--port", "0", "--host", "127.0.0.1",
        "--auto-accept", "--plain", "--server", sink.host() + ":" + sink.port(), "--identity",
        // A fresh key and known_peers per run and per peer: no pin left from an earlier run.
        java.nio.file.Files.createTempDirectory(java.nio.file.Files.createDirectories(settings.out()), name)
            .resolve("identity").toAbsolutePath().toString(), "--log",
        settings.logDir().resolve(name + ".log").toAbsolutePath().toString()), settings.logDir());
  }

  private ChatTarget target(String name, ChildProcess process, List<AutoCloseable> open) throws IOException {
    return ChatTarget.of(name, process, settings.out(), open);
  }

  /** One closed-loop run: at most WINDOW messages sent and not yet shown. */
  private Run run(ChatTarget t, int senders, Duration time, String tag, IntFunction<byte[]> payload) throws Exception {
    t.tally().begin(tag);
    AtomicLong issued = new AtomicLong();
    Gate gate = deadline -> {
      while (issued.get() - t.tally().count().shown() >= WINDOW) {
        if (System.nanoTime() - deadline > 0) {
          return false;
        }
        LockSupport.parkNanos(20_000);
      }
      issued.incrementAndGet();
      return true;
    };
    long cpu = t.process().cpuNanos();
    LoadGenerator.Result r = LoadGenerator.run(t.address(), payload, Integer.MAX_VALUE, senders, time, gate);
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (t.tally().count().shown() < r.sent() && System.nanoTime() - drainDeadline < 0) {
      LockSupport.parkNanos(1_000_000);
    }
    long used = t.process().cpuNanos() - cpu;
    ChatTally.Count count = t.tally().count();
    // The rate over the load's own time: closed loop, so at most WINDOW messages were still unshown at its end.
    return new Run(r.sent() / (r.nanos() / 1e9), count.shown() == 0 ? 0 : used / 1e3 / count.shown(), r.sent(),
        count.shown(), count.outOfOrder());
  }

  private static void send(HostPort to, byte[] bytes) throws IOException {
    LoadGenerator.send(new InetSocketAddress(to.host(), to.port()), bytes);
  }

  private String awaitSunk(String type) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      String text = sunk.poll(100, TimeUnit.MILLISECONDS);
      if (text != null && text.contains("\"" + type + "\"")) {
        return text;
      }
    }
    throw new IOException("no " + type + " within " + STEP_TIMEOUT.toSeconds() + " s");
  }

  private void drain(ServerSocket sink) {
    while (!sink.isClosed()) {
      try (Socket s = sink.accept()) {
        s.setSoTimeout(5_000);
        sunk.add(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        // Closed at the end, or a connection we do not care about.
      }
    }
  }
}
