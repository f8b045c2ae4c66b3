package org.p2pchat.server.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.p2pchat.server.StateFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on a state file, held in a sibling {@code FILE.lock}, so two servers never write one
 * registry. The state file itself cannot carry the lock: compaction replaces it by renaming.
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

  static StateLock acquire(Path stateFile) throws StateFileException {
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
    return new StateLock(lockFile, channel, lock);
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
