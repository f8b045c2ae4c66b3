package org.p2pchat.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.conformance.Role;
import org.p2pchat.protocol.MessageType;

/**
 * The shrinker against a target simulated in memory: a model with a known bug, compared step by step with
 * the reference model. No sockets, so the shrink can be checked exactly.
 */
class ShrinkerTest {
  /** A server that accepts a taken name (the bug) and otherwise behaves. */
  private static final class AcceptsDuplicates implements Model {
    private final LinkedHashMap<Integer, Integer> registry = new LinkedHashMap<>();
    private final ServerModel honest = new ServerModel();

    @Override
    public Expected step(Action action) {
      Expected right = honest.step(action);
      if (action instanceof Action.Register r) {
        registry.put(r.name(), r.peer());
        return Expected.reply(r.peer(), MessageType.REGISTER_SUCCESS);
      }
      return right;
    }
  }

  private int runs;

  /** Fails at the first step where the buggy model and the reference model disagree. */
  private SequenceRunner.Result differential(Sequence sequence) {
    runs++;
    Model reference = new ServerModel();
    Model buggy = new AcceptsDuplicates();
    List<String> transcript = new ArrayList<>();
    for (int i = 0; i < sequence.size(); i++) {
      Model.Expected want = reference.step(sequence.actions().get(i));
      Model.Expected got = buggy.step(sequence.actions().get(i));
      transcript.add((i + 1) + ". " + sequence.actions().get(i).describe(sequence));
      if (want.peer() != got.peer() || want.type() != got.type()) {
        return new SequenceRunner.Result(SequenceRunner.Status.FAILED, i, String.valueOf(want.type()),
            String.valueOf(got.type()), transcript);
      }
    }
    return new SequenceRunner.Result(SequenceRunner.Status.PASSED, -1, "", "", transcript);
  }

  private Sequence firstFailingSequence() {
    for (int index = 1; index < 200; index++) {
      Sequence s = Generator.generate(Role.SERVER, 99, index, 20);
      if (differential(s).failed() && s.size() >= 8) {
        return s;
      }
    }
    throw new AssertionError("no generated sequence registers a taken name");
  }

  @Test
  void shrinksADuplicateNameBugToTheTwoRegistrationsOfOneName() throws Exception {
    Sequence failing = firstFailingSequence();
    runs = 0;
    Shrinker.Shrunk shrunk = Shrinker.shrink(failing, differential(failing), this::differential, 500,
        Duration.ofSeconds(30));

    assertEquals(2, shrunk.sequence().size(), () -> String.join("\n", shrunk.sequence().describe()));
    Action.Register first = (Action.Register) shrunk.sequence().actions().get(0);
    Action.Register second = (Action.Register) shrunk.sequence().actions().get(1);
    assertEquals(first.name(), second.name());
    assertEquals(new Action.Register(0, first.name(), false), first, "values simplified: peer#0, no padding");
    assertEquals(Generator.simplest(first.name()), shrunk.sequence().name(first.name()));
    assertTrue(differential(shrunk.sequence()).failed(), "the result still fails");
    assertEquals(null, shrunk.stoppedEarly());
    assertTrue(shrunk.runs() <= runs);
  }

  @Test
  void stopsAtTheRunLimitWithTheSmallestFailureFoundSoFar() throws Exception {
    Sequence failing = firstFailingSequence();
    SequenceRunner.Result failure = differential(failing);
    runs = 0;
    Shrinker.Shrunk shrunk = Shrinker.shrink(failing, failure, this::differential, 3, Duration.ofSeconds(30));

    assertEquals(3, runs);
    assertNotNull(shrunk.stoppedEarly());
    assertTrue(shrunk.stoppedEarly().contains("3 runs"), shrunk.stoppedEarly());
    assertTrue(shrunk.sequence().size() <= failure.failedStep() + 1);
    assertTrue(differential(shrunk.sequence()).failed());
  }

  @Test
  void stopsWhenTheTargetBecomesUnavailable() throws Exception {
    Sequence failing = firstFailingSequence();
    SequenceRunner.Result failure = differential(failing);
    Shrinker.Shrunk shrunk = Shrinker.shrink(failing, failure, candidate -> new SequenceRunner.Result(
        SequenceRunner.Status.UNAVAILABLE, 0, "", "connection refused", List.of()), 100, Duration.ofSeconds(30));

    assertEquals(failure.failedStep() + 1, shrunk.sequence().size(), "kept the failing prefix");
    assertTrue(shrunk.targetDown(), shrunk.stoppedEarly());
    assertTrue(shrunk.stoppedEarly().contains("connection refused"), shrunk.stoppedEarly());
    assertEquals(1, shrunk.runs());
  }
}
