package org.p2pchat.bench.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads a receiver's shown lines ({@code loadgen: TAG-SENDER-SEQ}) as they arrive: counts those of the
 * current run, checks each sender's sequence numbers come in order with none missing, and publishes the
 * running count in a small shared-memory file that the C driver reads to keep its in-flight window.
 * Lines are fed by one reader thread; the run is begun and ended by another, between runs.
 */
public final class ChatTally implements Predicate<String>, AutoCloseable {
  private static final String PREFIX = Payloads.SENDER + ": ";

  private final Path file;
  private final FileChannel channel;
  private final MappedByteBuffer counter;
  private long total;
  private String tag = "";
  private final Map<Integer, Long> next = new HashMap<>();
  private long shown;
  private long outOfOrder;

  public ChatTally(Path file) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    this.counter = channel.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES);
    counter.order(ByteOrder.nativeOrder());
    counter.putLong(0, 0);
  }

  public Path file() {
    return file;
  }

  /** Starts counting the lines of run {@code tag} (no {@code -} in it). */
  public synchronized void begin(String tag) {
    this.tag = tag;
    next.clear();
    shown = 0;
    outOfOrder = 0;
  }

  /** What the current run showed so far. */
  public record Count(long shown, long outOfOrder, int senders) {}

  public synchronized Count count() {
    return new Count(shown, outOfOrder, next.size());
  }

  @Override
  public synchronized boolean test(String line) {
    int at = line.indexOf(PREFIX);
    if (at < 0) {
      return false;
    }
    String text = line.substring(at + PREFIX.length()).trim();
    int last = text.lastIndexOf('-');
    int first = text.indexOf('-');
    if (first <= 0 || last <= first || !text.substring(0, first).equals(tag)) {
      return true;
    }
    try {
      int sender = Integer.parseInt(text.substring(first + 1, last));
      long seq = Long.parseLong(text.substring(last + 1));
      long expected = next.getOrDefault(sender, 0L);
      if (seq != expected) {
        outOfOrder++;
      }
      next.put(sender, Math.max(expected, seq + 1));
    } catch (NumberFormatException e) {
      return true;
    }
    shown++;
    total++;
    counter.putLong(0, total);
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
