package org.p2pchat.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Cases a target is known to fail, kept in a file in its CI: one case id a line, {@code #} starts a comment
 * (whole-line or after the id), blank lines are ignored. A listed case that fails does not fail the run; a
 * listed case that passes does, as stale, so the list shrinks as the target improves. Immutable.
 */
public final class KnownFailures {
  private static final KnownFailures NONE = new KnownFailures(Set.of());

  private final Set<String> ids;

  private KnownFailures(Set<String> ids) {
    this.ids = Set.copyOf(ids);
  }

  public static KnownFailures none() {
    return NONE;
  }

  public static KnownFailures of(List<String> lines) {
    Set<String> ids = new LinkedHashSet<>();
    for (String line : lines) {
      int hash = line.indexOf('#');
      String id = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (!id.isEmpty()) {
        ids.add(id);
      }
    }
    return new KnownFailures(ids);
  }

  public static KnownFailures read(Path file) throws IOException {
    return of(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  public boolean contains(String id) {
    return ids.contains(id);
  }

  public Set<String> ids() {
    return ids;
  }

  public boolean isEmpty() {
    return ids.isEmpty();
  }
}
