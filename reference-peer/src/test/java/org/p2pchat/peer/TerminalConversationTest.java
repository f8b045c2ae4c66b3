package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.peer.Peers.WAIT;
import static org.p2pchat.peer.Peers.requestFrom;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.peer.internal.JLineConsole;
import org.p2pchat.peer.internal.LogFile;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.testing.FakePeer;

/** Through a terminal: a conversation without "chat message", and a quiet screen when garbage arrives. */
class TerminalConversationTest {
  @Test
  void aTenLineConversationInATerminalWithTheConversationInThePrompt() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    TerminalScreen screen = new TerminalScreen();
    Terminal terminal = terminal(keys, screen);
    JLineConsole console = new JLineConsole(terminal, false);
    try (FakePeer bob = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), console).build().start()) {
      Thread loop = run(console, peer);
      connect(bob, peer, screen, keys);

      type(keys, "talk bob\r");
      assertTrue(screen.await(t -> t.endsWith("bob> "), WAIT), screen::text);
      for (int i = 1; i <= 10; i++) {
        type(keys, "line " + i + " of ten\r");
        assertEquals("line " + i + " of ten", bob.expect(ChatMessage.class, WAIT).getMessage());
      }
      bob.send(peer.address(), new ChatMessage().withPeername("bob").withMessage("got all ten"));
      assertTrue(screen.await(t -> t.contains("bob: got all ten") && t.endsWith("bob> "), WAIT), screen::text);
      type(keys, "/talk\r");
      assertTrue(screen.await(t -> t.contains("left the conversation with bob") && t.endsWith(">> "), WAIT),
          screen::text);
      assertFalse(screen.text().contains("> chat message"), "nobody typed chat message");
      type(keys, "exit\r");
      loop.join(TimeUnit.SECONDS.toMillis(10));
      assertTrue(peer.isClosed());
    } finally {
      console.close();
    }
  }

  @Test
  void garbageWhileTypingLeavesTheScreenCleanAndTheLogHoldsTheDetail(@TempDir Path dir) throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    TerminalScreen screen = new TerminalScreen();
    Terminal terminal = terminal(keys, screen);
    JLineConsole console = new JLineConsole(terminal, false);
    Path logPath = dir.resolve("logs").resolve("alice.log");
    LogFile log = LogFile.install(logPath, null);
    try (FakePeer bob = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), console).logName(log.shortName()).build().start()) {
      Thread loop = run(console, peer);
      connect(bob, peer, screen, keys);
      type(keys, "chat message bob half-ty");
      assertTrue(screen.await(t -> t.endsWith(">> chat message bob half-ty"), WAIT), screen::text);

      bob.sendRaw(peer.address(), "this is not json \u001B[2J".getBytes(UTF_8));
      bob.sendRaw(peer.address(), "{\"msgtype\": \"NO_SUCH\", \"msgdata\": {}}".getBytes(UTF_8));
      bob.send(peer.address(), new ChatMessage().withPeername("bob").withMessage("still here"));

      assertTrue(screen.await(t -> t.contains("bob: still here")
          && t.contains("1 bad message ignored (see " + log.shortName() + ")")
          && t.endsWith(">> chat message bob half-ty"), WAIT), screen::text);
      type(keys, "ped\r");
      assertEquals("half-typed", bob.expect(ChatMessage.class, WAIT).getMessage());
      String shown = screen.text();
      assertFalse(shown.contains("MALFORMED"), shown);
      assertFalse(shown.contains("WARN"), shown);
      assertFalse(shown.contains("2 bad messages"), "at most one line a minute: " + shown);
      assertTrue(awaitFileContains(logPath, "MALFORMED_JSON"), () -> read(logPath));
      assertTrue(awaitFileContains(logPath, "UNKNOWN_TYPE"), () -> read(logPath));
      type(keys, "exit\r");
      loop.join(TimeUnit.SECONDS.toMillis(10));
    } finally {
      console.close();
      log.close();
    }
  }

  private static boolean awaitFileContains(Path file, String text) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (read(file).contains(text)) {
        return true;
      }
      synchronized (file) {
        file.wait(10);
      }
    }
    return false;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, UTF_8) : "(no file)";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static void connect(FakePeer bob, ChatPeer peer, TerminalScreen screen, PipedOutputStream keys)
      throws Exception {
    bob.send(peer.address(), requestFrom("bob", bob.address()));
    assertTrue(screen.await(t -> t.contains("Please enter \"yes\" or \"no\":"), WAIT), screen::text);
    type(keys, "yes\r");
    bob.expect(ChatAccept.class, WAIT);
    assertTrue(screen.await(t -> t.contains("accepted chat request from bob") && t.endsWith(">> "), WAIT),
        screen::text);
  }

  private static Terminal terminal(PipedOutputStream keys, TerminalScreen screen) throws Exception {
    PipedInputStream keyboard = new PipedInputStream(keys, 4096);
    return TerminalBuilder.builder().system(false).streams(keyboard, screen.stream())
        .type("xterm").size(new Size(160, 40)).encoding(UTF_8).build();
  }

  private static Thread run(JLineConsole console, ChatPeer peer) {
    Thread loop = new Thread(() -> console.run(peer), "console-under-test");
    loop.setDaemon(true);
    loop.start();
    return loop;
  }

  private static void type(PipedOutputStream keys, String text) throws Exception {
    keys.write(text.getBytes(UTF_8));
    keys.flush();
  }
}
