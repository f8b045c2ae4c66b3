package org.p2pchat.bench.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How much to measure, resolved from the command line. Immutable.
 *
 * @param quick the one-minute look: fewer runs, messages and JMH iterations, smaller scale tests
 * @param sections which benchmarks to run (see {@link #ALL_SECTIONS})
 * @param concurrencies concurrent senders for the throughput and end-to-end runs
 * @param runs samples per figure; each figure is their median
 * @param runTime how long each measured run sends
 * @param messages most messages a measured run sends (a cap; runs normally end on time)
 * @param warmupMessages messages each receiver gets before it is measured
 * @param sampleTimeLimit longest a count-bound load (warm-up, filling the server) may take
 * @param serverScale registered peers at which LISTPEER is timed
 * @param codecTypes message types the codec benchmarks cover (wire enum names)
 * @param diagnosticReceivers receivers measured besides the floor and the SDK, e.g. {@code sdk-inline}
 * @param receiverJvmOptions JVM options of every receiving process, floor and ours alike
 * @param root the project root (where the reference jars are looked for)
 * @param out where the CSV, JSON, SVG and child logs go
 */
public record Settings(boolean quick, Set<String> sections, List<Integer> concurrencies, int runs, Duration runTime,
    int messages,
    int warmupMessages, Duration sampleTimeLimit, List<Integer> serverScale, List<String> codecTypes,
    List<String> diagnosticReceivers, List<String> receiverJvmOptions, Path root, Path out) {

  public static final List<String> ALL_SECTIONS = Benchmarks.names();

  public Settings {
    sections = Set.copyOf(sections);
    concurrencies = List.copyOf(concurrencies);
    serverScale = List.copyOf(serverScale);
    codecTypes = List.copyOf(codecTypes);
    diagnosticReceivers = List.copyOf(diagnosticReceivers);
    receiverJvmOptions = List.copyOf(receiverJvmOptions);
  }

  public boolean runs(String section) {
    return sections.contains(section);
  }

  public Path logDir() {
    return out.resolve("logs");
  }
}
