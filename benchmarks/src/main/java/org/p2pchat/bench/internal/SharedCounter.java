package org.p2pchat.bench.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A count in a memory-mapped file, so that the load generator can read, without asking, how many
 * messages a receiver in another process has handled. Costs the receiver one atomic add a message.
 */
public final class SharedCounter {
  private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final MappedByteBuffer buffer;

  private SharedCounter(MappedByteBuffer buffer) {
    this.buffer = buffer;
  }

  /** Maps {@code file}, creating it (zeroed) if needed. */
  public static SharedCounter open(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      // The mapping outlives the channel.
      return new SharedCounter(channel.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES));
    }
  }

  public void increment() {
    LONG.getAndAdd(buffer, 0, 1L);
  }

  public long get() {
    return (long) LONG.getVolatile(buffer, 0);
  }
}
