package org.p2pchat.peer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.p2pchat.peer.ChatPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A terminal console: line editing, history, tab completion of commands and peer names, and every
 * line the peer shows printed above the prompt ({@link LineReader#printAbove}), so incoming text never
 * cuts through what is being typed. Ctrl-D and Ctrl-C at the prompt exit.
 */
public final class JLineConsole implements Console {
  public static final String PROMPT = ">> ";
  private static final Logger log = LoggerFactory.getLogger(JLineConsole.class);

  private final Terminal terminal;
  private final LineReader reader;
  private final boolean captureStderr;
  private volatile Supplier<? extends Collection<String>> peerNames = List::of;
  private volatile Supplier<String> prompt = () -> PROMPT;
  private volatile String shownPrompt = PROMPT;

  /**
   * A console on {@code terminal}. With {@code captureStderr}, log lines written to System.err while
   * commands are read are printed above the prompt too, instead of through it.
   */
  public JLineConsole(Terminal terminal, boolean captureStderr) {
    this.terminal = terminal;
    this.captureStderr = captureStderr;
    // No quotes or escapes: "it's" and "C:\" are chat text, not shell syntax.
    DefaultParser parser = new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0]);
    this.reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("p2pchat")
        .parser(parser)
        .completer(new CommandCompleter(() -> peerNames.get()))
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
  }

  /** The process's own terminal, UTF-8 whatever the locale says (as Python 3.7+ treats C/POSIX). */
  public static JLineConsole system() throws IOException {
    return system(stderrIsTerminal());
  }

  /** The process's own terminal; {@code captureStderr} false when the logs already go elsewhere (a log file). */
  public static JLineConsole system(boolean captureStderr) throws IOException {
    Terminal terminal = TerminalBuilder.builder()
        .system(true)
        .encoding(UTF_8)
        .build();
    return new JLineConsole(terminal, captureStderr);
  }

  /** True if a real terminal (not a dumb one) backs this console. */
  public boolean isInteractive() {
    return !Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
  }

  public Terminal terminal() {
    return terminal;
  }

  @Override
  public void line(String text) {
    // A line may come with a new prompt (a conversation that ended): set it first, so that printAbove,
    // which erases and redraws the line being typed, draws the new prompt cleanly.
    String wanted = prompt.get();
    if (reader.isReading() && !wanted.equals(shownPrompt) && reader instanceof LineReaderImpl impl) {
      shownPrompt = wanted;
      impl.setPrompt(wanted);
    }
    reader.printAbove(text);
  }

  @Override
  public String ask(String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }

  @Override
  public void run(ChatPeer peer) {
    peerNames = peer::knownPeerNames;
    prompt = peer::prompt;
    PrintStream stderr = System.err;
    if (captureStderr) {
      System.setErr(new PrintStream(new LineSink(this::line), true, UTF_8));
    }
    try {
      while (true) {
        String line;
        try {
          shownPrompt = peer.prompt();
          line = reader.readLine(shownPrompt);
        } catch (UserInterruptException | EndOfFileException e) {
          break;
        }
        if (!peer.execute(line)) {
          break;
        }
      }
    } finally {
      peer.close();
      if (captureStderr) {
        System.setErr(stderr);
      }
    }
  }

  @Override
  public void close() {
    try {
      if (reader.isReading()) {
        // Closed by a signal mid-line: end that line so the shell's prompt starts on a fresh one.
        terminal.writer().println();
      }
      terminal.flush();
      terminal.close();
    } catch (IOException e) {
      log.debug("closing the terminal: {}", e.toString());
    }
  }

  /** Whether standard error is a terminal (Linux: what file descriptor 2 points to). */
  private static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
