package org.p2pchat.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.p2pchat.bench.internal.CpuSnapshot;
import org.p2pchat.bench.internal.FloorReceiver;
import org.p2pchat.bench.internal.InlineReceiver;
import org.p2pchat.bench.internal.Progress;
import org.p2pchat.bench.internal.Receiver;
import org.p2pchat.bench.internal.SdkReceiver;
import org.p2pchat.bench.internal.SharedCounter;
import org.p2pchat.protocol.HostPort;

/**
 * A receiving end in a process of its own, so that its CPU time is its own and not the load
 * generator's. The benchmark drives it over stdin and stdout:
 *
 * <pre>
 * (start)               -> listening on 127.0.0.1:PORT
 * stats                 -> stats count=N rejected=N cpu=NS io=NS workers=NS other=NS jvm=NS
 * await COUNT MILLIS    -> (once COUNT messages are handled, or MILLIS passed) the same stats line
 * quit, or end of input -> exits
 * </pre>
 *
 * <p>Usage: {@code ReceiverMain floor|sdk|sdk-novalidate|sdk-1worker|sdk-inline [COUNTER_FILE]} (the last two are
 * diagnostics: the SDK with one worker thread, and its listener and dispatcher with no workers at all); with a counter file, the count of
 * handled messages is also kept there (see {@link SharedCounter}) for the load generator to read.
 * Exit codes: 0 done, 2 bad usage or cannot bind.
 */
public final class ReceiverMain {
  private static final long MAX_AWAIT_MILLIS = 600_000;

  private ReceiverMain() {}

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ReceiverMain floor|sdk|sdk-novalidate|sdk-1worker|sdk-inline [COUNTER_FILE]");
      System.exit(2);
    }
    Progress progress;
    try {
      progress = args.length == 2 ? new Progress(SharedCounter.open(Path.of(args[1]))) : new Progress();
    } catch (IOException e) {
      System.err.println("cannot map counter file " + args[1] + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    Receiver receiver;
    switch (args[0]) {
      case "floor" -> receiver = new FloorReceiver(progress);
      case "sdk" -> receiver = new SdkReceiver(true, progress);
      case "sdk-novalidate" -> receiver = new SdkReceiver(false, progress);
      case "sdk-1worker" -> receiver = new SdkReceiver(true, 1, progress);
      case "sdk-inline" -> receiver = new InlineReceiver(progress);
      default -> {
        System.err.println("unknown receiver '" + args[0] + "'; expected floor, sdk, sdk-novalidate, "
            + "sdk-1worker or sdk-inline");
        System.exit(2);
        return;
      }
    }
    int code;
    try {
      HostPort address = receiver.start();
      out.println("listening on " + address);
      code = serve(receiver, out);
    } catch (IOException e) {
      System.err.println("receiver " + args[0] + ": " + e.getMessage());
      code = 2;
    } finally {
      receiver.close();
    }
    System.exit(code);
  }

  private static int serve(Receiver receiver, PrintStream out) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      try {
        switch (words[0]) {
          case "stats" -> out.println(stats(receiver));
          case "await" -> {
            long wanted = Long.parseLong(words[1]);
            long millis = Math.min(Long.parseLong(words[2]), MAX_AWAIT_MILLIS);
            receiver.progress().await(wanted, Duration.ofMillis(millis));
            out.println(stats(receiver));
          }
          case "quit" -> {
            return 0;
          }
          default -> out.println("error unknown command '" + words[0] + "'");
        }
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        out.println("error usage: await COUNT MILLIS");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
    return 0;
  }

  private static String stats(Receiver receiver) {
    StringBuilder sb = new StringBuilder("stats count=").append(receiver.progress().count())
        .append(" rejected=").append(receiver.rejected());
    for (Map.Entry<String, Long> e : CpuSnapshot.take().entrySet()) {
      sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }
}
