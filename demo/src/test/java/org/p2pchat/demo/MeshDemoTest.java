package org.p2pchat.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class MeshDemoTest {
  @Test
  void theMeshStoryObservesEveryStepAndExitsZero() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    int code = DemoMain.run(new String[] {"demo", "mesh"}, new PrintStream(bytes, true, UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, UTF_8));

    String shown = bytes.toString(UTF_8);
    assertEquals(0, code, shown);
    for (String step : MeshDemo.stepNames()) {
      assertTrue(shown.contains("[ok]   " + step + "\n"), () -> "step " + step + " not reported ok:\n" + shown);
    }
    assertTrue(shown.contains("\npatchouli: Hello, Yuuka. Alice says the sunflowers are out. (via alice)\n"), shown);
    assertTrue(shown.contains("\nnot delivered to yuuka: no route through the mesh")
        || shown.contains("\nnot connected to yuuka"), shown);
    assertTrue(shown.contains("\nyuuka: They are. Come and see them, Patchouli. (via alice)\n"), shown);
    assertTrue(shown.contains("demo mesh passed: every step was observed"), shown);
  }

  @Test
  void anUnknownStoryIsAUsageError() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = DemoMain.run(new String[] {"demo", "galaxy"}, new PrintStream(bytes, true, UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
    assertEquals(2, code);
    assertTrue(bytes.toString(UTF_8).contains("unknown story 'galaxy'"), bytes.toString(UTF_8));
  }
}
