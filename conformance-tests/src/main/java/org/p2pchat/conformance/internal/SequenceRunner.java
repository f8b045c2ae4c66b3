package org.p2pchat.conformance.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.conformance.Role;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ChatAccept;

/**
 * Runs one sequence against the target beside a fresh {@link Model}: each step is sent, then the predicted
 * reply is awaited (bounded by the reply timeout) or silence is watched for (the silence window). The
 * first difference ends the run. Each run uses its own listeners and its own name prefix, so runs never see
 * each other's state on the target.
 */
public final class SequenceRunner {
  /** How a run ended. */
  public enum Status {
    /** Every step matched the model. */
    PASSED,
    /** A step did not match, and the target still answers. */
    FAILED,
    /** The first step could not connect: the target was down before the run. */
    UNAVAILABLE,
    /** The target stopped answering during the run, after step {@code failedStep + 1}. */
    STOPPED
  }

  /**
   * The outcome of one run; {@code failedStep} is the index of the step that went wrong (-1 if none), and
   * {@code transcript} has one line per step that ran.
   */
  public record Result(Status status, int failedStep, String expected, String actual, List<String> transcript) {
    public boolean failed() {
      return status == Status.FAILED;
    }

    /** The target could not be reached at the start, or stopped answering during the run. */
    public boolean targetDown() {
      return status == Status.UNAVAILABLE || status == Status.STOPPED;
    }
  }

  private final Settings settings;
  private final Services services;

  public SequenceRunner(Settings settings, Services services) {
    this.settings = settings;
    this.services = services;
  }

  public Result run(Sequence sequence, Names scope, WireLog log) throws InterruptedException {
    try (Harness h = new Harness(settings, log, services.validator(), services.guards())) {
      return new Run(sequence, scope, h).go();
    }
  }

  /** The state of one run. */
  private final class Run {
    private final Sequence seq;
    private final Names scope;
    private final Harness h;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<String> transcript = new ArrayList<>();
    private String targetName;

    Run(Sequence seq, Names scope, Harness h) {
      this.seq = seq;
      this.scope = scope;
      this.h = h;
    }

    Result go() throws InterruptedException {
      try {
        for (int p = 0; p < seq.peers(); p++) {
          endpoints.add(h.endpoint("peer#" + p));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the simulated peers' listeners", e);
      }
      Model model = Model.of(seq.role());
      boolean lastWasReply = false;
      for (int i = 0; i < seq.size(); i++) {
        Action action = seq.actions().get(i);
        String line = (i + 1) + ". " + action.describe(seq);
        try {
          h.send(bytes(action));
        } catch (TargetDownException e) {
          if (i == 0) {
            transcript.add(line + " -> target unavailable");
            return new Result(Status.UNAVAILABLE, i, "the target accepts connections", e.getMessage(), transcript);
          }
          transcript.add(line + " -> not sent: the target refuses connections");
          return new Result(Status.STOPPED, i - 1, "step " + (i + 1) + ": the target accepts connections",
              "the target stopped answering after step " + i + " (" + seq.actions().get(i - 1).describe(seq)
                  + "): it refused the connection for step " + (i + 1) + " (" + e.getMessage() + ")", transcript);
        } catch (IOException e) {
          return mismatch(i, line, "the message is delivered", "sending failed: " + e);
        }
        Model.Expected expected = model.step(action);
        lastWasReply = !expected.silent();
        if (expected.silent()) {
          List<Arrival> arrived = h.collect(settings.silence());
          if (!arrived.isEmpty()) {
            return mismatch(i, line, "silence", "got " + arrived.get(0).describe());
          }
          transcript.add(line + " -> silence");
        } else {
          Endpoint at = endpoints.get(expected.peer());
          String wanted = expected.type() + " at " + at.label();
          Arrival reply = h.next(settings.replyTimeout());
          if (reply == null) {
            String nothing = "nothing arrived within " + settings.replyTimeout().toMillis() + " ms";
            String down = stillAnswering();
            if (down != null) {
              transcript.add(line + " -> no reply, and the target stopped answering");
              return new Result(Status.STOPPED, i, "step " + (i + 1) + ": " + wanted, "the target stopped answering "
                  + "after step " + (i + 1) + " (" + action.describe(seq) + "): " + nothing + ", and then " + down,
                  transcript);
            }
            return mismatch(i, line, wanted, nothing);
          }
          String problem = check(expected, at, reply);
          if (problem != null) {
            return mismatch(i, line, wanted + describeList(expected), problem);
          }
          transcript.add(line + " -> " + expected.type() + " at peer#" + expected.peer());
        }
      }
      if (lastWasReply) {
        List<Arrival> late = h.collect(settings.silence());
        if (!late.isEmpty()) {
          return mismatch(seq.size() - 1, "(after the last step)", "nothing more", "got " + late.get(0).describe());
        }
      }
      return new Result(Status.PASSED, -1, "", "", transcript);
    }

    /** Null if a fresh valid message is still answered, else why the target counts as stopped. */
    private String stillAnswering() throws InterruptedException {
      h.log().note("no reply: does the target still answer a fresh message?");
      try {
        Probe probe = Probe.run(h, scope);
        // An answer anywhere, even a wrong one, means the target is alive.
        return probe.heardNothing() ? probe.problem() : null;
      } catch (TargetDownException e) {
        return "it refused connections (" + e.getMessage() + ")";
      } catch (IOException e) {
        return null;
      }
    }

    private Result mismatch(int step, String line, String expected, String actual) {
      transcript.add(line + " -> MISMATCH: expected " + expected + "; " + actual);
      return new Result(Status.FAILED, step, "step " + (step + 1) + ": " + expected, actual, transcript);
    }

    /** Null if {@code reply} is what the model predicted, else what is wrong with it. */
    private String check(Model.Expected expected, Endpoint at, Arrival reply) {
      if (!reply.isAt(at) || reply.type() != expected.type()) {
        return "got " + reply.describe();
      }
      if (expected.type() == MessageType.LISTPEER_REPLY) {
        Map<String, HostPort> wanted = expectedList(expected);
        Map<String, HostPort> listed = Peerlists.ours(reply, name -> name.startsWith(scope.prefix()));
        if (!listed.equals(wanted) || !new ArrayList<>(listed.keySet()).equals(new ArrayList<>(wanted.keySet()))) {
          return "it listed " + show(listed);
        }
      }
      if (expected.type() == MessageType.CHAT_ACCEPT) {
        ChatAccept accept = reply.as(ChatAccept.class);
        if (accept.getPort() != settings.target().port()) {
          return "CHAT_ACCEPT names port " + accept.getPort() + ", not the target's " + settings.target().port();
        }
        if (targetName != null && !targetName.equals(accept.getPeername())) {
          return "CHAT_ACCEPT names the target \"" + accept.getPeername() + "\", earlier \"" + targetName + "\"";
        }
        targetName = accept.getPeername();
      }
      return null;
    }

    private LinkedHashMap<String, HostPort> expectedList(Model.Expected expected) {
      LinkedHashMap<String, HostPort> wanted = new LinkedHashMap<>();
      for (int[] entry : expected.list()) {
        wanted.put(scope.prefix() + seq.name(entry[0]), endpoints.get(entry[1]).advertised());
      }
      return wanted;
    }

    private String describeList(Model.Expected expected) {
      return expected.type() == MessageType.LISTPEER_REPLY ? " listing " + show(expectedList(expected)) : "";
    }

    /** A list with our prefix left out of the names and peers shown by number. */
    private String show(Map<String, HostPort> list) {
      List<String> parts = new ArrayList<>();
      list.forEach((name, address) -> {
        int peer = -1;
        for (int p = 0; p < endpoints.size(); p++) {
          if (endpoints.get(p).advertised().equals(address)) {
            peer = p;
          }
        }
        parts.add("\"" + name.substring(Math.min(name.length(), scope.prefix().length())) + "\": "
            + (peer >= 0 ? "peer#" + peer : address.toString()));
      });
      return "{" + String.join(", ", parts) + "}";
    }

    private byte[] bytes(Action action) {
      if (action instanceof Action.Register r) {
        Object message = Messages.register(named(r.name()), endpoints.get(r.peer()).advertised());
        return r.padded() ? Messages.padded(message, 1500) : Messages.encode(message);
      }
      if (action instanceof Action.Listpeer l) {
        return Messages.encode(Messages.listpeer(named(l.name())));
      }
      if (action instanceof Action.Exit e) {
        return Messages.encode(Messages.exit(named(e.name())));
      }
      if (action instanceof Action.BadInput b) {
        return b.kind().bytes(seq.role());
      }
      if (action instanceof Action.ChatRequest c) {
        Object message = Messages.chatRequest(named(c.peer()), endpoints.get(c.peer()).advertised());
        return c.padded() ? Messages.padded(message, 1500) : Messages.encode(message);
      }
      if (action instanceof Action.ChatMessage m) {
        return Messages.encode(Messages.chatMessage(named(m.peer()), Action.ChatMessage.TEXTS.get(m.text())));
      }
      if (action instanceof Action.Disconnect d) {
        return Messages.encode(Messages.disconnect(named(d.peer())));
      }
      throw new IllegalArgumentException("unknown step " + action);
    }

    private String named(int index) {
      return scope.prefix() + seq.name(index);
    }
  }

  /** True if the role's model can run {@code action}. */
  static boolean fits(Role role, Action action) {
    boolean serverStep = action instanceof Action.Register || action instanceof Action.Listpeer
        || action instanceof Action.Exit;
    boolean peerStep = action instanceof Action.ChatRequest || action instanceof Action.ChatMessage
        || action instanceof Action.Disconnect;
    return action instanceof Action.BadInput || (role == Role.SERVER ? serverStep : peerStep);
  }
}
