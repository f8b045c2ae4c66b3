package org.p2pchat.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;


import org.p2pchat.protocol.HostPort;
import org.p2pchat.testing.FakePeer;

class DemoTest {
  @Test
  void theDemoObservesEveryStepAndExitsZero() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    int code = Demo.withReferenceServer(new PrintStream(bytes, true, UTF_8)).run();

    String shown = bytes.toString(UTF_8);
    assertEquals(0, code, shown);
    for (String step : Demo.stepNames()) {
      assertTrue(shown.contains("[ok]   " + step + "\n"), () -> "step " + step + " not reported ok:\n" + shown);
    }
    assertTrue(shown.contains("---- patchouli's screen ----\n>> register\nRegister Successful.\n"), shown);
    assertTrue(shown.contains("\npatchouli: Hello, alice.\n"), shown);
    assertTrue(shown.contains("\nDisconnected from patchouli\n"), shown);
    assertTrue(shown.contains("demo passed: every step was observed"), shown);
  }

  @Test
  void theDemoExitsOneNamingTheStepThatWasNotObserved() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (FakePeer silent = FakePeer.start()) {
      DemoServer.Factory silentServer = screen -> new DemoServer() {
        @Override
        public HostPort address() {
          return silent.address();
        }

        @Override
        public Set<String> registeredNames() {
          return Set.of();
        }

        @Override
        public void close() {
          // the test closes the fake
        }
      };

      int code = new Demo(new PrintStream(bytes, true, UTF_8), silentServer, Duration.ofMillis(300)).run();

      String shown = bytes.toString(UTF_8);
      assertEquals(1, code, shown);
      assertTrue(shown.contains("demo FAILED at step \"register\": alice did not show \"Register Successful.\""
          + " within 300 ms"), shown);
    }
  }
}
