package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.peer.Peers.WAIT;
import static org.p2pchat.peer.Peers.requestFrom;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.p2pchat.peer.internal.JLineConsole;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.testing.FakePeer;

class JLineConsoleTest {
  @Test
  void anIncomingMessageIsPrintedAboveAHalfTypedLineWhichStaysIntact() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream keyboard = new PipedInputStream(keys, 4096);
    TerminalScreen screen = new TerminalScreen();
    Terminal terminal = TerminalBuilder.builder().system(false).streams(keyboard, screen.stream())
        .type("xterm").size(new Size(160, 40)).encoding(UTF_8).build();
    JLineConsole console = new JLineConsole(terminal, false);
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), console).build().start()) {
      Thread loop = new Thread(() -> console.run(peer), "console-under-test");
      loop.setDaemon(true);
      loop.start();
      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));
      assertTrue(screen.await(t -> t.contains("Please enter \"yes\" or \"no\":"), WAIT), screen::text);
      type(keys, "yes patchouli\r");
      patchouli.expect(ChatAccept.class, WAIT);
      awaitPromptAfter(screen, "accepted chat request from patchouli");

      type(keys, "chat message patchouli hel");
      assertTrue(screen.await(t -> t.endsWith(">> chat message patchouli hel"), WAIT), screen::text);
      int before = screen.text().length();
      patchouli.send(peer.address(), new ChatMessage().withPeername("patchouli").withMessage("are you typing?"));

      assertTrue(screen.await(t -> {
        String after = t.substring(before);
        int shown = after.indexOf("patchouli: are you typing?");
        return shown >= 0 && after.indexOf(">> chat message patchouli hel", shown) > shown;
      }, WAIT), screen::text);
      type(keys, "lo there\r");
      assertEquals("hello there", patchouli.expect(ChatMessage.class, WAIT).getMessage());

      type(keys, "exit\r");
      loop.join(TimeUnit.SECONDS.toMillis(10));
      assertFalse(loop.isAlive(), "exit should end the console");
      assertTrue(peer.isClosed());
      assertEquals("alice", patchouli.expect(Disconnect.class, WAIT).getPeername());
    } finally {
      console.close();
    }
  }

  @Test
  void endOfInputAtThePromptExits() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream keyboard = new PipedInputStream(keys, 4096);
    TerminalScreen screen = new TerminalScreen();
    Terminal terminal = TerminalBuilder.builder().system(false).streams(keyboard, screen.stream())
        .type("xterm").size(new Size(160, 40)).encoding(UTF_8).build();
    JLineConsole console = new JLineConsole(terminal, false);
    try (ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), console).build().start()) {
      Thread loop = new Thread(() -> console.run(peer), "console-under-test");
      loop.setDaemon(true);
      loop.start();
      type(keys, "help\r");
      awaitPromptAfter(screen, "command list:");

      type(keys, "\u0004"); // Ctrl-D on an empty line

      loop.join(TimeUnit.SECONDS.toMillis(10));
      assertFalse(loop.isAlive(), "Ctrl-D should end the console");
      assertTrue(peer.isClosed());
    } finally {
      console.close();
    }
  }

  /** Waits for {@code text} and then a fresh prompt: the console is reading again, keys go to the editor. */
  private static void awaitPromptAfter(TerminalScreen screen, String text) throws InterruptedException {
    assertTrue(screen.await(t -> t.contains(text) && t.endsWith(JLineConsole.PROMPT)
        && t.lastIndexOf(JLineConsole.PROMPT) > t.lastIndexOf(text), WAIT), screen::text);
  }

  private static void type(PipedOutputStream keys, String text) throws Exception {
    keys.write(text.getBytes(UTF_8));
    keys.flush();
  }
}
