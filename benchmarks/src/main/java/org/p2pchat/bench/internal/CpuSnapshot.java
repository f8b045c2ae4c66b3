package org.p2pchat.bench.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time a receiving process has used so far (user + system), in nanoseconds, split by who used it:
 * {@code io} (the thread that accepts and reads), {@code workers} (decode, validate, dispatch),
 * {@code other} (any other Java thread) and {@code jvm} (the rest: garbage collector, JIT compilers and
 * the VM's own threads, which Java cannot see one by one). On Linux, also the context switches of the
 * {@code io} and {@code workers} threads ({@code cs-io}, {@code cs-workers}), from /proc: each is a
 * thread going to sleep or being woken, the price of handing work from one thread to another.
 */
public final class CpuSnapshot {
  private CpuSnapshot() {}

  /** Measures the current process. */
  public static Map<String, Long> take() {
    long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> split = new LinkedHashMap<>();
    split.put("cpu", process);
    split.put("io", 0L);
    split.put("workers", 0L);
    split.put("other", 0L);
    long javaThreads = 0;
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      long cpu = threads.getThreadCpuTime(id);
      if (info == null || cpu < 0) {
        continue;
      }
      split.merge(groupOf(info.getThreadName()), cpu, Long::sum);
      javaThreads += cpu;
    }
    split.put("jvm", Math.max(0, process - javaThreads));
    split.put("cs-io", 0L);
    split.put("cs-workers", 0L);
    addContextSwitches(split);
    return split;
  }

  /** Sums voluntary and involuntary context switches by group, reading /proc/self/task/TID/{comm,status}. */
  private static void addContextSwitches(Map<String, Long> split) {
    Path tasks = Path.of("/proc/self/task");
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
      for (Path task : dirs) {
        try {
          // comm is the thread name cut to 15 bytes: enough to tell the groups apart.
          String group = groupOf(Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim());
          if (group.equals("other")) {
            continue;
          }
          long switches = 0;
          for (String line : Files.readAllLines(task.resolve("status"), StandardCharsets.UTF_8)) {
            if (line.contains("ctxt_switches:")) {
              switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
          split.merge("cs-" + group, switches, Long::sum);
        } catch (IOException | NumberFormatException e) {
          // The thread ended while we looked: its switches are gone with it.
        }
      }
    } catch (IOException e) {
      // Not Linux: no context switch counts.
    }
  }

  /** The group of a thread, by its Java name or its Linux comm (the name's first 15 bytes). */
  static String groupOf(String threadName) {
    if (threadName.startsWith("p2pchat-io-") || threadName.equals("floor-accept")) {
      return "io";
    }
    if (threadName.contains("-worker-") || threadName.startsWith("bench-sdk-work")) {
      return "workers";
    }
    return "other";
  }
}
