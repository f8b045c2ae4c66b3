package org.p2pchat.server;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;

/** The server's main in a separate JVM, for tests that kill it or signal it. Always close it. */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final Path stderr;
  private final LinkedBlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private HostPort address;

  private ServerProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          stdout.add(line);
        }
      } catch (IOException e) {
        stdout.add("(stdout closed: " + e + ")");
      }
    }, "server-process-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code ServerMain server ARGS} and waits for its {@code listening on} line. */
  static ServerProcess start(Path workDir, String... serverArgs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        // The default identity (~/.p2pchat/server-identity) goes under the test's directory.
        "-Duser.home=" + workDir.toAbsolutePath(),
        ServerMain.class.getName(), "server"));
    command.addAll(List.of(serverArgs));
    Path stderr = Files.createTempFile(workDir, "server-", ".err");
    Process process = new ProcessBuilder(command)
        .redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    ServerProcess server = new ServerProcess(process, stderr);
    try {
      server.address = HostPort.parse(server.awaitLine("listening on ", Duration.ofSeconds(30))
          .substring("listening on ".length()));
    } catch (AssertionError | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The first stdout line starting with {@code prefix}, waiting up to {@code timeout}. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    for (String line : seen) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? stdout.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("no line starting with '" + prefix + "' within " + timeout.toMillis()
            + " ms; stdout so far " + seen + "; stderr:\n" + stderr());
      }
      seen.add(line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  HostPort address() {
    return address;
  }

  Process process() {
    return process;
  }

  String stderr() {
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read stderr: " + e + ")";
    }
  }

  /** Waits for the process to exit and returns its exit code; throws if it does not within {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("server process still running after " + timeout.toMillis() + " ms");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
