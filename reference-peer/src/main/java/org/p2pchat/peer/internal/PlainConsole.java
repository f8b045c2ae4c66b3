package org.p2pchat.peer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import org.p2pchat.peer.ChatPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command per input line, plain output lines flushed one by one, no prompt: for pipes and
 * scripts. End of input is {@code exit}.
 */
public final class PlainConsole implements Console {
  private static final Logger log = LoggerFactory.getLogger(PlainConsole.class);

  private final BufferedReader in;
  private final PrintStream out;

  public PlainConsole(InputStream in, PrintStream out) {
    this.in = new BufferedReader(new InputStreamReader(in, UTF_8));
    this.out = out;
  }

  @Override
  public void line(String text) {
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }

  @Override
  public String ask(String prompt) {
    synchronized (out) {
      out.print(prompt);
      out.flush();
    }
    return readLine();
  }

  @Override
  public void run(ChatPeer peer) {
    try {
      String line;
      while ((line = readLine()) != null) {
        if (!peer.execute(line)) {
          break;
        }
      }
    } finally {
      peer.close();
    }
  }

  private String readLine() {
    try {
      return in.readLine();
    } catch (IOException e) {
      log.warn("cannot read standard input, exiting: {}", e.toString());
      return null;
    }
  }

  @Override
  public void close() {
    out.flush();
  }
}
