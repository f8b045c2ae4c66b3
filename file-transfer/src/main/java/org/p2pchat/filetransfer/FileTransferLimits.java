package org.p2pchat.filetransfer;

import java.time.Duration;

/**
 * Limits and tunables for file transfers; immutable, made by {@link #builder()} with the defaults documented on
 * each setter. {@link #defaults()} is the builder's result with nothing changed.
 */
public final class FileTransferLimits {
  /** Default chunk size, chosen from measurements (docs/file-transfer.md). */
  public static final int DEFAULT_CHUNK_SIZE = 128 * 1024;

  private final long maxFileSize;
  private final int maxTransfersPerPeer;
  private final long bytesPerSecondPerPeer;
  private final long burstBytes;
  private final int chunkSize;
  private final int window;
  private final Duration offerTimeout;
  private final Duration stallTimeout;
  private final int legacyMaxChunks;
  private final int legacyMaxPending;

  private FileTransferLimits(Builder b) {
    this.maxFileSize = b.maxFileSize;
    this.maxTransfersPerPeer = b.maxTransfersPerPeer;
    this.bytesPerSecondPerPeer = b.bytesPerSecondPerPeer;
    this.chunkSize = b.chunkSize;
    this.burstBytes = Math.max(b.burstBytes, ChunkEncoding.encodedLength(b.chunkSize));
    this.window = b.window;
    this.offerTimeout = b.offerTimeout;
    this.stallTimeout = b.stallTimeout;
    this.legacyMaxChunks = b.legacyMaxChunks;
    this.legacyMaxPending = b.legacyMaxPending;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static FileTransferLimits defaults() {
    return builder().build();
  }

  public long maxFileSize() {
    return maxFileSize;
  }

  public int maxTransfersPerPeer() {
    return maxTransfersPerPeer;
  }

  public long bytesPerSecondPerPeer() {
    return bytesPerSecondPerPeer;
  }

  /** Bucket depth; never less than one encoded chunk, or a chunk could never be sent. */
  public long burstBytes() {
    return burstBytes;
  }

  public int chunkSize() {
    return chunkSize;
  }

  public int window() {
    return window;
  }

  public Duration offerTimeout() {
    return offerTimeout;
  }

  public Duration stallTimeout() {
    return stallTimeout;
  }

  public int legacyMaxChunks() {
    return legacyMaxChunks;
  }

  public int legacyMaxPending() {
    return legacyMaxPending;
  }

  /** Settings; every default is on its setter. */
  public static final class Builder {
    private long maxFileSize = 4L * 1024 * 1024 * 1024;
    private int maxTransfersPerPeer = 2;
    private long bytesPerSecondPerPeer = 32L * 1024 * 1024;
    private long burstBytes = 0;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private int window = 16;
    private Duration offerTimeout = Duration.ofMinutes(2);
    private Duration stallTimeout = Duration.ofSeconds(30);
    private int legacyMaxChunks = 8192;
    private int legacyMaxPending = 8;

    private Builder() {
    }

    /** Largest file accepted or offered; default 4 GiB. */
    public Builder maxFileSize(long bytes) {
      this.maxFileSize = positive(bytes, "maxFileSize");
      return this;
    }

    /** Transfers running at once with one peer, each direction counted; default 2. */
    public Builder maxTransfersPerPeer(int n) {
      this.maxTransfersPerPeer = (int) positive(n, "maxTransfersPerPeer");
      return this;
    }

    /** Chunk bytes on the wire (base64) a second to one peer, all its transfers together; default 32 MiB/s. */
    public Builder bytesPerSecondPerPeer(long bytes) {
      this.bytesPerSecondPerPeer = positive(bytes, "bytesPerSecondPerPeer");
      return this;
    }

    /** Bucket depth in bytes; default (0) one encoded chunk, the least that works. */
    public Builder burstBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("burstBytes must not be negative");
      }
      this.burstBytes = bytes;
      return this;
    }

    /** Chunk size for files we send; default 128 KiB (measured, docs/file-transfer.md), at most 512 KiB. */
    public Builder chunkSize(int bytes) {
      if (bytes < 1 || bytes > Offer.MAX_CHUNK_SIZE) {
        throw new IllegalArgumentException("chunkSize must be 1 to " + Offer.MAX_CHUNK_SIZE);
      }
      this.chunkSize = bytes;
      return this;
    }

    /** Chunks in flight unacknowledged; default 16 (measured, docs/file-transfer.md). A receiver answers with its own, the smaller one rules. */
    public Builder window(int chunks) {
      if (chunks < 1 || chunks > 256) {
        throw new IllegalArgumentException("window must be 1 to 256");
      }
      this.window = chunks;
      return this;
    }

    /** How long an offer waits for yes or no; default 2 min. */
    public Builder offerTimeout(Duration d) {
      this.offerTimeout = positive(d, "offerTimeout");
      return this;
    }

    /** How long a running transfer may go without progress before it fails as stalled; default 30 s. */
    public Builder stallTimeout(Duration d) {
      this.stallTimeout = positive(d, "stallTimeout");
      return this;
    }

    /** Most chunks a 2018 text transfer may announce (128 characters each); default 8,192 (1 MiB of text). */
    public Builder legacyMaxChunks(int n) {
      this.legacyMaxChunks = (int) positive(n, "legacyMaxChunks");
      return this;
    }

    /** 2018 text transfers being collected at once; default 8 (the oldest is dropped beyond that). */
    public Builder legacyMaxPending(int n) {
      this.legacyMaxPending = (int) positive(n, "legacyMaxPending");
      return this;
    }

    public FileTransferLimits build() {
      return new FileTransferLimits(this);
    }

    private static long positive(long v, String what) {
      if (v < 1) {
        throw new IllegalArgumentException(what + " must be positive, got " + v);
      }
      return v;
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
