package org.p2pchat.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.conformance.Role;

class SequenceFileTest {
  @TempDir
  Path dir;

  @Test
  void aWrittenSequenceReadsBackStepForStep() throws Exception {
    for (Role role : Role.values()) {
      Sequence sequence = Generator.generate(role, 3, 1, 20);
      SequenceRunner.Result failure = new SequenceRunner.Result(SequenceRunner.Status.FAILED, 2, "REGISTER_ERROR",
          "REGISTER_SUCCESS", List.of());
      Path file = SequenceFile.write(dir, "generated.sequence.1-" + role.label(), sequence, 3, 1, 20,
          "127.0.0.1:30000", failure);

      SequenceFile.Loaded loaded = SequenceFile.read(file);
      assertEquals(sequence, loaded.sequence());
      assertEquals(3, loaded.header().path("seed").asLong());
      assertEquals(3, loaded.header().path("failure").path("step").asInt());
      assertEquals(sequence.size() + 1, Files.readAllLines(file).size(), "a header, then one step a line");
    }
  }

  @Test
  void rejectsAFileThatIsNotAReplayFile() throws Exception {
    Path file = dir.resolve("x.jsonl");
    Files.writeString(file, "{\"hello\": 1}\n", StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceFile.read(file));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void rejectsAStepOutOfRangeNamingItsLine() throws Exception {
    Path file = dir.resolve("y.jsonl");
    Files.writeString(file, "{\"format\":\"p2pchat-conformance-sequence\",\"version\":1,\"role\":\"server\","
        + "\"peers\":2,\"names\":[\"n0\"]}\n{\"action\":\"register\",\"peer\":0,\"name\":0}\n"
        + "{\"action\":\"register\",\"peer\":5,\"name\":0}\n", StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceFile.read(file));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
  }

  @Test
  void rejectsAStepOfTheOtherRole() throws Exception {
    Path file = dir.resolve("z.jsonl");
    Files.writeString(file, "{\"format\":\"p2pchat-conformance-sequence\",\"version\":1,\"role\":\"peer\","
        + "\"peers\":1,\"names\":[\"n0\"]}\n{\"action\":\"register\",\"peer\":0,\"name\":0}\n", StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceFile.read(file));
    assertTrue(e.getMessage().contains("cannot have the step"), e.getMessage());
  }
}
