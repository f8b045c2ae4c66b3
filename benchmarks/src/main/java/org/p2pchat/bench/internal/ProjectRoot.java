package org.p2pchat.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the project's root directory and the runnable jars built under it. */
public final class ProjectRoot {
  private ProjectRoot() {}

  /** The nearest directory at or above {@code start} whose pom.xml is p2pchat's parent pom. */
  public static Optional<Path> find(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      try {
        if (Files.isRegularFile(pom)
            && Files.readString(pom, StandardCharsets.UTF_8).contains("<artifactId>p2pchat-parent</artifactId>")
            && Files.isDirectory(dir.resolve("benchmarks"))) {
          return Optional.of(dir);
        }
      } catch (IOException e) {
        // Unreadable: keep walking up.
      }
    }
    return Optional.empty();
  }

  /** The newest {@code MODULE/target/p2pchat-MODULE-*-all.jar} under {@code root}, if built. */
  public static Optional<Path> runnableJar(Path root, String module) {
    Path target = root.resolve(module).resolve("target");
    if (!Files.isDirectory(target)) {
      return Optional.empty();
    }
    Path newest = null;
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "p2pchat-" + module + "-*-all.jar")) {
      for (Path jar : jars) {
        if (newest == null || Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(newest)) > 0) {
          newest = jar;
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(newest);
  }
}
