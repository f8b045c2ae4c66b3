package org.p2pchat.bench.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds the C floors and the C load driver from the sources shipped in this module's resources
 * ({@code org/p2pchat/bench/c}) with the machine's gcc, so the floors are the machine's, not the JVM's.
 * Binaries go to {@code DIR/HASH/}, HASH being the sources' digest: a second run reuses them.
 */
public final class CBuild {
  static final String RESOURCES = "/org/p2pchat/bench/c/";
  static final List<String> SOURCES = List.of("common.h", "receiver.c", "rrserver.c", "driver.c");
  private static final long COMPILE_TIMEOUT_SECONDS = 120;

  private CBuild() {}

  /** The built programs: the minimal receiver, the minimal request/reply server, the load driver. */
  public record Programs(Path receiver, Path rrserver, Path driver) {}

  /** What a build gave: programs, or why not ({@code no gcc} or gcc's complaint). */
  public record Outcome(Optional<Programs> programs, String problem) {
    public static Outcome of(Programs p) {
      return new Outcome(Optional.of(p), "");
    }

    public static Outcome failed(String why) {
      return new Outcome(Optional.empty(), why);
    }
  }

  /** True if {@code gcc --version} runs. */
  public static boolean gccAvailable() {
    try {
      Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Extracts the sources under {@code dir} and compiles them, or says why it could not. */
  public static Outcome build(Path dir) {
    if (!gccAvailable()) {
      return Outcome.failed("no gcc");
    }
    try {
      List<byte[]> sources = new ArrayList<>();
      for (String name : SOURCES) {
        try (InputStream in = CBuild.class.getResourceAsStream(RESOURCES + name)) {
          if (in == null) {
            return Outcome.failed("resource " + RESOURCES + name + " missing from the benchmarks jar");
          }
          sources.add(in.readAllBytes());
        }
      }
      Path out = dir.resolve(digest(sources));
      Files.createDirectories(out);
      for (int i = 0; i < SOURCES.size(); i++) {
        Files.write(out.resolve(SOURCES.get(i)), sources.get(i));
      }
      for (String program : List.of("receiver", "rrserver", "driver")) {
        Path binary = out.resolve(program);
        if (!Files.isExecutable(binary)) {
          compile(out, program);
        }
      }
      return Outcome.of(new Programs(out.resolve("receiver"), out.resolve("rrserver"), out.resolve("driver")));
    } catch (IOException e) {
      return Outcome.failed(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.failed("interrupted");
    }
  }

  private static void compile(Path dir, String program) throws IOException, InterruptedException {
    // Build to a temporary name first so that a half-written binary is never taken as built.
    Path partial = dir.resolve(program + ".partial");
    Process p = new ProcessBuilder("gcc", "-O2", "-Wall", "-pthread", "-o", partial.toString(),
        dir.resolve(program + ".c").toString()).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("gcc failed on " + program + ".c: " + said.strip());
    }
    Files.move(partial, dir.resolve(program), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static String digest(List<byte[]> sources) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sources.forEach(sha::update);
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
