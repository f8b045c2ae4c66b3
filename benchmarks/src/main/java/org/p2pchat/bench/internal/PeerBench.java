package org.p2pchat.bench.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.Node;
import org.p2pchat.sdk.SendException;

/**
 * The reference peer end to end: a running {@code peer --auto-accept} accepts the load generator's chat
 * request, then gets CHAT_MESSAGEs at each concurrency; a message counts once the peer has shown it
 * ({@code loadgen: TEXT} on its stdout). Latency is from just before the connect to the moment the line
 * is read, taken under load at each concurrency and, one message at a time, with no load.
 */
public final class PeerBench {
  public static final String SECTION = "peer";
  public static final String SUBJECT = "peer";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_MESSAGES_A_RUN = 200_000;

  private final Settings settings;
  private final Results results;
  private final PrintStream progress;
  private final Map<String, List<Double>> samples = new HashMap<>();
  private volatile Sample current;

  public PeerBench(Settings settings, Results results, PrintStream progress) {
    this.settings = settings;
    this.results = results;
    this.progress = progress;
  }

  /** Sent and shown times of one sample's messages, by index; texts carry the sample's tag. */
  private static final class Sample {
    final String tag;
    final long[] sentAt;
    final long[] shownAt;
    final Progress shown = new Progress();

    Sample(String tag, int messages) {
      this.tag = tag;
      this.sentAt = new long[messages];
      this.shownAt = new long[messages];
    }

    byte[] payload(int index) {
      sentAt[index] = System.nanoTime();
      return Payloads.chatMessage(tag + "-" + index);
    }

    /** Latencies of the messages shown. */
    long[] latencies() {
      List<Long> list = new ArrayList<>();
      for (int i = 0; i < sentAt.length; i++) {
        if (shownAt[i] != 0 && sentAt[i] != 0) {
          list.add(shownAt[i] - sentAt[i]);
        }
      }
      return list.stream().mapToLong(Long::longValue).toArray();
    }
  }

  public void run() throws IOException {
    Optional<Path> jar = ProjectRoot.runnableJar(settings.root(), "reference-peer");
    if (jar.isEmpty()) {
      results.note("peer: skipped, no runnable jar under " + settings.root().resolve("reference-peer/target")
          + " (build it with: mvn -B -q -DskipTests -pl reference-peer package)");
      return;
    }
    CompletableFuture<ChatAccept> accepted = new CompletableFuture<>();
    Dispatcher dispatcher = new Dispatcher().on(ChatAccept.class, (message, context) -> accepted.complete(message));
    try (Node us = Node.builder().name("bench-peer-loadgen").dispatcher(dispatcher).build().start()) {
      ChildProcess peer = ReferenceApp.start("reference-peer", jar.get(), "peer",
          List.of("--name", "benchpeer", "--port", "0", "--host", "127.0.0.1", "--auto-accept",
              "--server", us.address().toString()), settings.logDir());
      try {
        HostPort address = peer.awaitListening(START_TIMEOUT);
        peer.tap(this::onLine);
        us.send(address, new ChatRequest().withPeername(Payloads.SENDER).withHost(us.address().host())
            .withPort(us.address().port()));
        accepted.get(10, TimeUnit.SECONDS);
        measureAll(peer, address);
      } catch (SendException | ExecutionException | TimeoutException e) {
        results.check("peer: accepts the load generator's chat request", false, e.toString());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } finally {
        peer.close();
      }
    }
    report();
  }

  /** Reader thread: a shown line of the current sample records its time. Other lines go to the queue. */
  private boolean onLine(String line) {
    long now = System.nanoTime();
    Sample sample = current;
    String prefix = Payloads.SENDER + ": ";
    int at = line.indexOf(prefix);
    if (sample == null || at < 0) {
      return false;
    }
    String text = line.substring(at + prefix.length()).trim();
    if (text.startsWith(sample.tag + "-")) {
      try {
        int index = Integer.parseInt(text.substring(sample.tag.length() + 1));
        if (index >= 0 && index < sample.shownAt.length && sample.shownAt[index] == 0) {
          sample.shownAt[index] = now;
          sample.shown.increment();
        }
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  private void measureAll(ChildProcess peer, HostPort address) throws IOException, InterruptedException {
    long sent = 0;
    long shown = 0;
    Sample warmup = new Sample("w", settings.warmupMessages() / 2);
    current = warmup;
    LoadGenerator.Result warm;
    try (InFlightWindow window = new InFlightWindow(warmup.shown::count, ThroughputBench.IN_FLIGHT_LIMIT)) {
      warm = LoadGenerator.run(address, warmup::payload, warmup.sentAt.length, 4, settings.sampleTimeLimit(), window);
      warmup.shown.await(warm.sent(), AWAIT_TIMEOUT);
    }
    sent += warm.sent();
    shown += warmup.shown.count();
    int cap = Math.min(settings.messages(), MAX_MESSAGES_A_RUN);
    for (int round = 0; round < settings.runs(); round++) {
      for (int c : settings.concurrencies()) {
        Sample sample = new Sample("r" + round + "c" + c, cap);
        current = sample;
        long cpuBefore = peer.cpuNanos();
        long inWindow;
        long nanos;
        LoadGenerator.Result result;
        try (InFlightWindow window = new InFlightWindow(sample.shown::count, ThroughputBench.IN_FLIGHT_LIMIT)) {
          long start = System.nanoTime();
          LoadGenerator.Load load = LoadGenerator.start(address, sample::payload, cap, c, settings.runTime(), window);
          load.awaitEnd();
          inWindow = sample.shown.count();
          nanos = System.nanoTime() - start;
          result = load.finish();
          sample.shown.await(result.sent(), AWAIT_TIMEOUT);
        }
        long cpu = peer.cpuNanos() - cpuBefore;
        long count = sample.shown.count();
        sent += result.sent();
        shown += count;
        if (result.failed() > 0) {
          results.note("peer at concurrency " + c + ": " + result.failed() + " sends failed (" + result.firstError()
              + ")");
        }
        if (count == 0 || inWindow == 0) {
          continue;
        }
        add(c, "rate", inWindow / (nanos / 1e9));
        add(c, "cpu", cpu / 1e3 / count);
        Latencies latencies = new Latencies(sample.latencies());
        add(c, "p50", latencies.percentileMicros(50));
        add(c, "p99", latencies.percentileMicros(99));
        progress.printf("peer: round %d/%d, concurrency %d: %,.0f shown/s, p50 %.0f µs, p99 %.0f µs%n", round + 1,
            settings.runs(), c, inWindow / (nanos / 1e9), latencies.percentileMicros(50),
            latencies.percentileMicros(99));
      }
    }
    // One at a time, nothing else going on: the latency floor of a message through the peer.
    int single = settings.quick() ? 200 : 1000;
    Sample idle = new Sample("idle", single);
    current = idle;
    InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
    for (int i = 0; i < single; i++) {
      try {
        LoadGenerator.send(target, idle.payload(i));
        sent++;
      } catch (IOException e) {
        results.note("peer: an unloaded send failed: " + e);
        continue;
      }
      idle.shown.await(i + 1, Duration.ofSeconds(5));
    }
    shown += idle.shown.count();
    Latencies unloaded = new Latencies(idle.latencies());
    if (unloaded.count() > 0) {
      add(0, "p50", unloaded.percentileMicros(50));
      add(0, "p99", unloaded.percentileMicros(99));
    }
    results.check("peer: every chat message sent was shown", sent == shown, sent + " sent, " + shown + " shown");
  }

  private void add(int concurrency, String metric, double value) {
    samples.computeIfAbsent(concurrency + "/" + metric, k -> new ArrayList<>()).add(value);
  }

  private void report() {
    List<List<String>> rows = new ArrayList<>();
    List<Integer> levels = new ArrayList<>(settings.concurrencies());
    levels.add(0, 0);
    for (int c : levels) {
      Map<String, Measurement> m = new HashMap<>();
      for (String metric : List.of("rate", "cpu", "p50", "p99")) {
        List<Double> values = samples.get(c + "/" + metric);
        if (values != null) {
          String unit = metric.equals("rate") ? "msg/s" : metric.equals("cpu") ? "us/msg" : "us";
          String param = c == 0 ? "unloaded" : Integer.toString(c);
          m.put(metric, results.add(new Measurement(SECTION, SUBJECT, param, metric, unit, values)));
        }
      }
      if (m.isEmpty()) {
        continue;
      }
      Optional<Measurement> floor = results.find(ThroughputBench.SECTION, ThroughputBench.FLOOR,
          Integer.toString(c), "rate");
      rows.add(List.of(c == 0 ? "1 at a time" : Integer.toString(c),
          m.containsKey("rate") ? Format.range(m.get("rate"), "%,.0f") : "-",
          m.containsKey("rate") && floor.isPresent() ? Format.num("%.2f", m.get("rate").median() / floor.get().median())
              : "-",
          m.containsKey("cpu") ? Format.range(m.get("cpu"), "%.1f") : "-",
          Format.range(m.get("p50"), "%,.0f"), Format.range(m.get("p99"), "%,.0f")));
    }
    results.table(new Table("peer", "Reference peer end to end: CHAT_MESSAGEs shown per second",
        List.of("concurrency", "shown / s", "vs floor", "peer CPU µs/msg", "latency p50 µs", "latency p99 µs"), rows,
        "latency: from just before connect to the shown line read from the peer's stdout; under load it includes "
            + "queueing, as the load keeps up to " + ThroughputBench.IN_FLIGHT_LIMIT + " messages in flight (as for the "
            + "floor); peer CPU from /proc "
            + "(10 ms ticks); runs of " + Format.num("%.1f", settings.runTime().toMillis() / 1e3) + " s; "
            + "the first row sends one message at a time"));
  }
}
