package org.p2pchat.server.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.p2pchat.server.StateFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on a state file, so two servers never write one registry. The file is named by its
 * canonical real path ({@link #canonical}: symbolic links resolved), so two spellings or a symlink reach
 * one lock. The lock is an OS lock ({@link FileChannel#tryLock}) on a sibling {@code FILE.lock}, which
 * survives compaction's rename; and the journal also holds an OS lock on the state file itself while it is
 * open, which {@link #acquire} checks, so a deleted or replaced lock file does not let a second server in.
 * A state file with several hard links is refused: each link would get its own lock.
 */
final class StateLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StateLock.class);

  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(Path lockFile, FileChannel channel, FileLock lock) {
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  static Path lockFileOf(Path stateFile) {
    return stateFile.resolveSibling(stateFile.getFileName() + ".lock");
  }

  /**
   * The path every server uses for {@code file}: absolute, with every symbolic link resolved (the file's
   * own, if it exists, and its directory's).
   */
  static Path canonical(Path file) throws StateFileException {
    Path absolute = file.toAbsolutePath().normalize();
    try {
      if (Files.exists(absolute)) {
        return absolute.toRealPath();
      }
      Path parent = absolute.getParent();
      return parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName());
    } catch (IOException e) {
      throw new StateFileException(absolute, "cannot resolve its real path: " + e, e);
    }
  }

  /** Locks {@code stateFile}, a path from {@link #canonical}. */
  static StateLock acquire(Path stateFile) throws StateFileException {
    refuseHardLinks(stateFile);
    Path lockFile = lockFileOf(stateFile);
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StateFileException(stateFile, "cannot create its lock file " + lockFile + ": " + e, e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StateFileException(stateFile, "cannot lock " + lockFile + ": " + e, e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new StateFileException(stateFile, "in use by another running server (" + lockFile
          + " is locked); stop it or pass a different --state");
    }
    StateLock held = new StateLock(lockFile, channel, lock);
    try {
      refuseIfOpenElsewhere(stateFile);
    } catch (StateFileException e) {
      held.close();
      throw e;
    }
    return held;
  }

  private static void refuseHardLinks(Path stateFile) throws StateFileException {
    if (!Files.isRegularFile(stateFile, LinkOption.NOFOLLOW_LINKS)) {
      return; // a new registry, or not a file at all (reported when it is read)
    }
    Object links;
    try {
      links = Files.getAttribute(stateFile, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return; // a new registry
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
      log.debug("cannot count the hard links of {}: {}", stateFile, e.toString());
      return;
    }
    if (links instanceof Integer && (Integer) links > 1) {
      throw new StateFileException(stateFile, "has " + links + " hard links; another server could reach it "
          + "under another name: give it one name (copy it) and pass that --state");
    }
  }

  /** A server that holds the state file open holds an OS lock on it (its journal): refused, lock file or not. */
  private static void refuseIfOpenElsewhere(Path stateFile) throws StateFileException {
    if (!Files.isRegularFile(stateFile)) {
      return; // a new registry, or not a file at all (reported when it is read)
    }
    try (FileChannel probe = FileChannel.open(stateFile, StandardOpenOption.WRITE)) {
      FileLock test;
      try {
        test = probe.tryLock();
      } catch (OverlappingFileLockException e) {
        test = null;
      }
      if (test == null) {
        throw new StateFileException(stateFile, "in use by another running server (the state file itself is "
            + "locked, though its lock file was not); stop it or pass a different --state");
      }
      test.release();
    } catch (IOException e) {
      if (e instanceof StateFileException) {
        throw (StateFileException) e;
      }
      throw new StateFileException(stateFile, "cannot open it to check its lock: " + e, e);
    }
  }

  Path lockFile() {
    return lockFile;
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      log.debug("releasing {}: {} (closing the channel releases it too)", lockFile, e.toString());
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing a lock file channel: {}", e.toString());
    }
  }
}
