package org.p2pchat.conformance.internal;

import java.io.IOException;
import java.util.List;
import org.p2pchat.protocol.MessageType;

/**
 * What a case works with: the harness, fresh names, and checks that end the case with a verdict when the
 * target does not do what the rule says.
 */
public final class CaseRun {
  private final Harness harness;
  private final Names names;
  private final Services services;
  private static final java.util.concurrent.atomic.AtomicInteger INPUT_PROBE_SCOPES =
      new java.util.concurrent.atomic.AtomicInteger();
  private Names inputProbes;

  public CaseRun(Harness harness, Names names, Services services) {
    this.harness = harness;
    this.names = names;
    this.services = services;
  }

  public Services services() {
    return services;
  }

  public Harness harness() {
    return harness;
  }

  public Settings settings() {
    return harness.settings();
  }

  public Names names() {
    return names;
  }

  public String name(String stem) {
    return names.fresh(stem);
  }

  public Endpoint endpoint(String name) throws IOException {
    return harness.endpoint(name);
  }

  /** Sends a model object as the 2018 program would. */
  public void send(Object message) throws TargetDownException, IOException {
    harness.send(Messages.encode(message));
  }

  public void sendBytes(byte[] bytes) throws TargetDownException, IOException {
    harness.send(bytes);
  }

  /** The next arrival, which must be a valid {@code type} at {@code at} within the reply timeout. */
  public Arrival expectReply(Endpoint at, MessageType type) throws CaseFailure, InterruptedException {
    String wanted = type + " at " + at.label();
    Arrival a = harness.next(settings().replyTimeout());
    if (a == null) {
      throw CaseFailure.fail(wanted, "nothing arrived within " + settings().replyTimeout().toMillis() + " ms");
    }
    if (!a.isAt(at) || a.type() != type) {
      throw CaseFailure.fail(wanted, "got " + a.describe());
    }
    return a;
  }

  /** Nothing may arrive anywhere during the silence window. */
  public void expectSilence(String because) throws CaseFailure, InterruptedException {
    List<Arrival> arrived = harness.collect(settings().silence());
    if (!arrived.isEmpty()) {
      throw CaseFailure.fail("silence for " + settings().silence().toMillis() + " ms (" + because + ")",
          "got " + arrived.get(0).describe() + (arrived.size() > 1 ? " and " + (arrived.size() - 1) + " more" : ""));
    }
  }

  /** Waits out the silence window and returns whatever arrived. */
  public List<Arrival> watch() throws InterruptedException {
    return harness.collect(settings().silence());
  }

  /** The target must still answer a fresh valid message; {@code after} names what it had just been sent. */
  public void expectStillServing(String after) throws CaseFailure, TargetDownException, IOException,
      InterruptedException {
    Probe probe = Probe.run(harness, names);
    if (!probe.answered()) {
      throw CaseFailure.fail("the target still answers after " + after, probe.problem());
    }
  }

  /**
   * Names for the probes after each input, apart from the case's own names so that probing changes no name
   * the rest of the run uses (a probe tidies its name away again).
   */
  private Names inputProbeNames() {
    if (inputProbes == null) {
      inputProbes = new Names(names.prefix() + "in" + INPUT_PROBE_SCOPES.incrementAndGet() + "-");
    }
    return inputProbes;
  }

  /**
   * Sends bad input {@code number} of {@code count}, then checks that the target still answers a fresh valid
   * message, so that a target that dies is caught at the input that killed it.
   *
   * @throws TargetStopped if the target no longer accepts connections or no longer answers
   * @throws CaseFailure if something answered the bad input
   */
  public void sendInputAndProbe(int number, int count, String what, byte[] bytes) throws TargetStopped,
      CaseFailure, IOException, InterruptedException {
    String input = "input " + number + " of " + count + " (" + what + ")";
    String expected = "the target goes on answering after each bad input";
    try {
      harness.send(bytes);
    } catch (TargetDownException e) {
      throw new TargetStopped("input " + (number - 1), expected, "the target stopped: it refused the connection "
          + "for " + input + ", so it stopped after input " + (number - 1) + ": " + e.getMessage());
    }
    harness.log().note("after " + input + ": does the target still answer?");
    Probe probe;
    try {
      probe = Probe.run(harness, inputProbeNames());
    } catch (TargetDownException e) {
      throw new TargetStopped("input " + number, expected, "the target stopped answering after " + input
          + ": it refuses connections (" + e.getMessage() + ")");
    }
    if (!probe.answered() && !probe.heardNothing()) {
      // It answered, at the wrong address or with the wrong type: alive, and wrong.
      throw CaseFailure.fail("a fresh valid message is answered as the rules say after " + input, probe.problem());
    }
    if (!probe.answered()) {
      throw new TargetStopped("input " + number, expected, "the target stopped answering after " + input + ": "
          + probe.problem());
    }
    if (!probe.strays().isEmpty()) {
      throw CaseFailure.fail("no reply to " + input, "got " + probe.strays().get(0).describe());
    }
  }
}
