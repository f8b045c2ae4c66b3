package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatMessage;

/** The README's "embed the SDK" example, kept compiling and working. */
class ReadmeExampleTest {
  @Test
  void theReadmeExampleStartsANodeHandlesAChatMessageAndSendsOne() throws Exception {
    LinkedBlockingQueue<String> shown = new LinkedBlockingQueue<>();

    // --- README example starts here ---
    Dispatcher dispatcher = new Dispatcher()
        .on(ChatMessage.class, (msg, ctx) -> shown.add(msg.getPeername() + ": " + msg.getMessage()))
        .onError(rejection -> System.err.println(rejection));     // bad input: reported, never fatal

    try (Node node = Node.builder()
        .host("127.0.0.1").port(0)                                 // 0 = any free port
        .dispatcher(dispatcher)
        .build()
        .start()) {
      HostPort me = node.address();
      node.send(me, new ChatMessage().withPeername("alice").withMessage("Hello, alice."));
      // --- README example ends here ---
      assertEquals("alice: Hello, alice.", shown.poll(10, TimeUnit.SECONDS));
    }
  }
}
