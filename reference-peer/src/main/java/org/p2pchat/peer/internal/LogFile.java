package org.p2pchat.peer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Where the peer's log goes instead of the chat screen: standard error (where slf4j-simple writes, and it
 * looks the stream up at every line) is pointed at a file, appended to, directories created. With
 * {@code verbose}, every log line is also shown on screen, sanitised. Independent of the logging library.
 */
public final class LogFile implements AutoCloseable {
  private final Path path;
  private final Writer file;
  private final PrintStream previous;

  private LogFile(Path path, Writer file, PrintStream previous) {
    this.path = path;
    this.file = file;
    this.previous = previous;
  }

  /** The default log of a peer named {@code name}: {@code ~/.p2pchat/NAME.log}. */
  public static Path defaultPath(String name) {
    return Path.of(System.getProperty("user.home"), ".p2pchat", name + ".log");
  }

  /** Opens {@code path} and sends standard error there (and to {@code screen} if non-null) until closed. */
  public static LogFile install(Path path, Consumer<String> screen) throws IOException {
    Path absolute = path.toAbsolutePath();
    if (absolute.getParent() != null) {
      Files.createDirectories(absolute.getParent());
    }
    Writer writer = Files.newBufferedWriter(absolute, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    LogFile log = new LogFile(absolute, writer, System.err);
    System.setErr(new PrintStream(new LineSink(line -> log.write(line, screen)), true, UTF_8));
    return log;
  }

  public Path path() {
    return path;
  }

  /** The path as the screen names it: {@code ~/...} under the home directory. */
  public String shortName() {
    Path home = Path.of(System.getProperty("user.home")).toAbsolutePath();
    return path.startsWith(home) ? "~/" + home.relativize(path) : path.toString();
  }

  private synchronized void write(String line, Consumer<String> screen) {
    try {
      file.write(line);
      file.write('\n');
      file.flush();
    } catch (IOException e) {
      previous.println(line);
    }
    if (screen != null) {
      screen.accept(Lines.printable(line));
    }
  }

  @Override
  public synchronized void close() {
    System.err.flush();
    System.setErr(previous);
    try {
      file.close();
    } catch (IOException e) {
      previous.println("p2pchat peer: closing the log " + path + ": " + e.getMessage());
    }
  }
}
