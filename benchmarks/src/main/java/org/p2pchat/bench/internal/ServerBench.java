package org.p2pchat.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.Rejection;

/**
 * The reference server at scale (full runs only): LISTPEER latency with growing numbers of registered
 * peers and the memory that holds them. REGISTER round trips are {@link RegisterBench}'s.
 *
 * <p>Replies come back to a raw SDK {@link Listener} that only reads frames, so that measuring costs the
 * benchmark as little as possible and a 100,000-peer reply is timed to its last byte, not to our parse.
 */
public final class ServerBench implements Listener.FrameSink {
  public static final String SECTION = "server-scale";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(60);
  private static final int FILL_CONCURRENCY = 32;
  /** The used figure of {@code jcmd PID GC.heap_info}, e.g. {@code garbage-first heap total 65536K, used 28991K}. */
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final int MAX_MESSAGES_A_RUN = 1_000_000;

  private final Settings settings;
  private final Results results;
  private final PrintStream progress;
  private final Progress replies = new Progress();
  private final AtomicLong refused = new AtomicLong();
  private final BlockingQueue<Frame> listpeerReplies = new LinkedBlockingQueue<>();
  private final Map<String, List<Double>> samples = new HashMap<>();
  private volatile Semaphore window = new Semaphore(0);
  private HostPort replyAddress;

  private record Frame(byte[] bytes, long nanos) {}

  public ServerBench(Settings settings, Results results, PrintStream progress) {
    this.settings = settings;
    this.results = results;
    this.progress = progress;
  }

  @Override
  public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
    long now = System.nanoTime();
    String head = new String(frame, 0, Math.min(frame.length, 64), StandardCharsets.US_ASCII);
    if (head.contains("\"REGISTER_SUCCESS\"")) {
      window.release();
      replies.increment();
    } else if (head.contains("\"REGISTER_ERROR\"")) {
      refused.incrementAndGet();
      window.release();
      replies.increment();
    } else if (head.contains("\"LISTPEER\"")) {
      listpeerReplies.offer(new Frame(frame, now));
    }
  }

  @Override
  public void onRejected(Rejection rejection) {
    results.note("server bench: reply connection rejected: " + rejection);
  }

  public void run() throws IOException {
    Optional<Path> jar = ProjectRoot.runnableJar(settings.root(), "reference-server");
    if (jar.isEmpty()) {
      results.note("server: skipped, no runnable jar under " + settings.root().resolve("reference-server/target")
          + " (build it with: mvn -B -q -DskipTests -pl reference-server package)");
      return;
    }
    Listener listener = Listener.builder().maxBytes(64 * 1024 * 1024).maxConnections(4096).build().start(this);
    try {
      replyAddress = listener.address();
      scale(jar.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      listener.close();
    }
    report();
  }

  /** A running reference server and the address it printed. */
  private record Server(ChildProcess process, HostPort address) implements AutoCloseable {
    @Override
    public void close() {
      process.close();
    }
  }

  private Server startServer(Path jar, String name) throws IOException {
    ChildProcess server = ReferenceApp.start(name, jar, "server", List.of("--host", "127.0.0.1", "--port", "0",
        // The driver is one loopback source standing for every peer, and 100,000 peers plus askers.
        "--exempt-source", "127.0.0.1", "--max-peers", "1000000"), settings.logDir());
    try {
      return new Server(server, server.awaitListening(START_TIMEOUT));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** REGISTER messages for names PREFIX0, PREFIX1, ..., advertising our reply listener. */
  private IntFunction<byte[]> registrations(String prefix) {
    // The scale test's names say they read replies to end of stream: a requester that advertised nothing
    // gets the 2018 LISTPEER reply, cut to 1,024 bytes (docs/protocol.md#rule-listpeer-order).
    String features = prefix.startsWith("s") ? ", \"features\": [\"eof\"]" : "";
    String tail = "\", \"host\": \"" + replyAddress.host() + "\", \"port\": " + replyAddress.port() + features
        + "}}";
    return i -> ("{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"" + prefix + i + tail)
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Registers {@code count} new names with at most {@code concurrency} awaiting their reply; returns how
   * many replies came back.
   */
  private long fill(HostPort server, String prefix, int count, int concurrency) throws IOException,
      InterruptedException {
    long before = replies.count();
    window = new Semaphore(concurrency);
    LoadGenerator.Result load = LoadGenerator.run(server, registrations(prefix), count, concurrency,
        settings.sampleTimeLimit(), Gate.of(window));
    long got = replies.await(before + load.sent(), AWAIT_TIMEOUT) - before;
    if (got != count || load.failed() > 0) {
      results.note("server: " + count + " REGISTERs " + prefix + "*: " + load.sent() + " sent, " + got
          + " replies, " + load.failed() + " failed" + (load.firstError().isEmpty() ? "" : " (" + load.firstError()
          + ")"));
    }
    return got;
  }

  private void scale(Path jar) throws IOException, InterruptedException {
    long refusedBefore = refused.get();
    try (Server started = startServer(jar, "reference-server-scale")) {
      ChildProcess server = started.process();
      HostPort address = started.address();
      if (server.staysAliveFor(Duration.ofSeconds(1))) {
        add("mem/0/rss", server.rssKb());
      }
      int have = 0;
      int requests = settings.quick() ? 5 : 10;
      for (int peers : settings.serverScale()) {
        if (peers > have) {
          have += (int) fill(address, "s" + have + "-", peers - have, FILL_CONCURRENCY);
        }
        String asker = "s0-0";
        byte[] request = ("{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peername\": \"" + asker + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
        InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
        listpeerReplies.clear();
        int listed = -1;
        for (int i = 0; i < requests; i++) {
          long sent = System.nanoTime();
          LoadGenerator.send(target, request);
          Frame reply = listpeerReplies.poll(AWAIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
          if (reply == null) {
            results.note("server: no LISTPEER reply with " + peers + " peers registered");
            break;
          }
          add("listpeer/" + peers + "/latency", (reply.nanos - sent) / 1e3);
          if (i == 0) {
            listed = peersIn(reply.bytes);
            add("listpeer/" + peers + "/bytes", reply.bytes.length);
          }
        }
        results.check("server: LISTPEER lists all " + peers + " registered peers", listed == have,
            "registered " + have + ", listed " + listed);
        add("mem/" + peers + "/rss", server.rssKb());
        progress.printf("server: %,d peers registered: LISTPEER reply of %,d peers%n", have, listed);
      }
      int largest = settings.serverScale().get(settings.serverScale().size() - 1);
      heapAfterGc(server).ifPresent(kb -> add("mem/" + largest + "/heap", kb));
    }
    results.check("server: every REGISTER of a new name succeeded", refused.get() == refusedBefore,
        (refused.get() - refusedBefore) + " REGISTER_ERROR replies");
  }

  private static int peersIn(byte[] reply) {
    try {
      JsonNode peerlist = WireJson.mapper().readTree(reply).path("msgdata").path("peerlist");
      return peerlist.isObject() ? peerlist.size() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Live heap after a full GC, from {@code jcmd} (a JDK tool; absent on a bare JRE). */
  private Optional<Long> heapAfterGc(ChildProcess server) {
    try {
      Jcmd.run(server.pid(), "GC.run");
      String info = Jcmd.run(server.pid(), "GC.heap_info");
      Matcher m = HEAP_USED.matcher(info);
      return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    } catch (IOException e) {
      results.note("server: heap after GC not measured: " + e.getMessage());
      return Optional.empty();
    }
  }

  private void add(String key, double value) {
    samples.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }

  private Optional<Measurement> figure(String key, String subject, String param, String metric, String unit) {
    List<Double> values = samples.get(key);
    return values == null ? Optional.empty()
        : Optional.of(results.add(new Measurement(SECTION, subject, param, metric, unit, values)));
  }

  private void report() {
    List<List<String>> scaleRows = new ArrayList<>();
    Optional<Measurement> idle = figure("mem/0/rss", "scale", "0", "rss", "KiB");
    idle.ifPresent(m -> scaleRows.add(List.of("0", "-", "-", Format.megabytes(m.median()), "-")));
    for (int peers : settings.serverScale()) {
      Optional<Measurement> latency = figure("listpeer/" + peers + "/latency", "listpeer", Integer.toString(peers),
          "latency", "us");
      Optional<Measurement> bytes = figure("listpeer/" + peers + "/bytes", "listpeer", Integer.toString(peers),
          "bytes", "B");
      Optional<Measurement> rss = figure("mem/" + peers + "/rss", "scale", Integer.toString(peers), "rss", "KiB");
      Optional<Measurement> heap = figure("mem/" + peers + "/heap", "scale", Integer.toString(peers), "heap", "KiB");
      if (latency.isEmpty() && rss.isEmpty()) {
        continue;
      }
      scaleRows.add(List.of(Format.num("%,.0f", peers),
          latency.map(m -> Format.range(m, "%,.0f")).orElse("-"),
          bytes.map(m -> Format.num("%,.0f", m.median())).orElse("-"),
          rss.map(m -> Format.megabytes(m.median())).orElse("-"),
          heap.map(m -> Format.megabytes(m.median())).orElse("-")));
    }
    results.table(new Table("server-scale", "Reference server at scale: LISTPEER latency and memory",
        List.of("registered peers", "LISTPEER latency µs", "reply bytes", "server RSS", "live heap after GC"),
        scaleRows, "latency: from just before connect to the reply's last byte at our listener; "
            + (settings.quick() ? 5 : 10) + " requests at each size; heap from jcmd GC.heap_info after GC.run"));
  }
}
