package org.p2pchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterSuccess;

class FakePeerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void answersAsScriptedToTheAddressTheScriptChooses() throws Exception {
    try (FakePeer server = FakePeer.start(); FakePeer client = FakePeer.start()) {
      server.on(Register.class, (reg, received) ->
          FakePeer.reply(new HostPort(reg.getHost(), reg.getPort()), new RegisterSuccess()));
      client.send(server.address(), new Register().withPeername("alice")
          .withHost("127.0.0.1").withPort(client.address().port()));
      Register reg = server.expect(Register.class, WAIT);
      assertEquals("alice", reg.getPeername());
      client.expect(RegisterSuccess.class, WAIT);
    }
  }

  @Test
  void recordsInvalidBytesExactly() throws Exception {
    try (FakePeer peer = FakePeer.start(); FakePeer other = FakePeer.start()) {
      byte[] junk = "{\"msgtype\": \"CHAT_MESSAGE\"".getBytes(StandardCharsets.UTF_8);
      other.sendRaw(peer.address(), junk);
      FakePeer.Received r = peer.take(WAIT);
      assertEquals(new String(junk, StandardCharsets.UTF_8), r.text());
      assertFalse(r.validation().isValid());
      assertNull(r.type());
      assertThrows(AssertionError.class, () -> r.as(Register.class));
    }
  }

  @Test
  void expectNothingFailsWhenSomethingArrives() throws Exception {
    try (FakePeer peer = FakePeer.start(); FakePeer other = FakePeer.start()) {
      peer.expectNothing(Duration.ofMillis(100));
      other.send(peer.address(), new RegisterSuccess());
      AssertionError e = assertThrows(AssertionError.class, () -> peer.expectNothing(WAIT));
      assertEquals(true, e.getMessage().contains(MessageType.REGISTER_SUCCESS.name()));
    }
  }
}
