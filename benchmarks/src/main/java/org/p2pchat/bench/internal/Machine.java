package org.p2pchat.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a run happened on, as the doc reports it. Immutable.
 *
 * @param cpus processors available to the JVM
 * @param cpuModel the first {@code model name} of /proc/cpuinfo
 * @param memoryKb total memory
 * @param jdk vendor, VM and version of the running JDK
 * @param os kernel name, version and architecture
 * @param loadAverage the 1-minute load average when the run started (others' work on a shared machine)
 */
public record Machine(int cpus, String cpuModel, long memoryKb, String jdk, String os, String loadAverage) {

  public static Machine current() {
    return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(), ProcFs.memTotalKb(),
        System.getProperty("java.vendor") + " " + System.getProperty("java.vm.name") + " "
            + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        currentLoadAverage());
  }

  /** The 1-, 5- and 15-minute load averages now, or "unknown". */
  public static String currentLoadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      return "unknown";
    }
  }

  private static String readCpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
      for (String line : lines) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
    return System.getProperty("os.arch");
  }
}
