package org.p2pchat.conformance;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.p2pchat.conformance.internal.Case;
import org.p2pchat.conformance.internal.CaseRun;
import org.p2pchat.conformance.internal.Harness;
import org.p2pchat.conformance.internal.Names;
import org.p2pchat.conformance.internal.Outcome;
import org.p2pchat.conformance.internal.Probe;
import org.p2pchat.conformance.internal.Services;
import org.p2pchat.conformance.internal.Settings;
import org.p2pchat.conformance.internal.TargetDownException;
import org.p2pchat.conformance.internal.WireLog;
import org.p2pchat.protocol.MessageValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cases of one {@link ConformanceSuite} one at a time, with the state a run shares: the names'
 * random prefix, and whether the target still answers. Once it stops answering (it refuses connections,
 * or no longer answers a fresh message after having answered before), every later case is reported
 * UNAVAILABLE at once without touching the network. Every case has a deadline, so a run never hangs.
 *
 * <p>Not thread-safe: run cases from one thread. Close it to stop its threads.
 */
public final class Session implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final ConformanceSuite suite;
  private final Settings settings;
  private final Names names;
  private final ScheduledExecutorService guards;
  private final ExecutorService runner;
  private final Services services;
  private String stoppedAnswering;
  /** Where the target stopped ({@code robustness.malformed-json input 3}), for the collapsed line. */
  private String stoppedAt;
  /** Peer mode: null until checked; then why the target does not auto-accept, or "" if it does. */
  private String notAutoAccepting;
  private boolean everAnswered;
  private boolean everReached;
  private int casesRun;

  Session(ConformanceSuite suite) {
    this.suite = suite;
    this.settings = suite.settings();
    this.names = suite.namePrefix() == null ? Names.random() : new Names(suite.namePrefix());
    this.guards = Executors.newSingleThreadScheduledExecutor(daemon("conformance-watchdog"));
    this.runner = Executors.newSingleThreadExecutor(daemon("conformance-case"));
    this.services = new Services(MessageValidator.create(), guards, settings.maxShrinks(), settings.sequenceDir());
  }

  /** Runs one selected case and returns its result; never throws for anything the target does. */
  public CaseResult run(CaseInfo info) {
    Case kase = suite.caseFor(info);
    Instant start = Instant.now();
    WireLog wire = new WireLog();
    casesRun++;
    if (stoppedAnswering != null) {
      return result(info, new Outcome(Verdict.NOT_RUN, "the target answers", notRunReason(), "", null), start,
          wire);
    }
    if (settings.role() == Role.PEER && notAutoAccepting == null) {
      notAutoAccepting = checkAutoAccept(new WireLog());
    }
    if (notAutoAccepting != null && !notAutoAccepting.isEmpty()) {
      return result(info, new Outcome(Verdict.NOT_APPLICABLE, "a peer that accepts chat requests by itself "
          + "(docs/protocol.md#rule-auto-accept)", notApplicableReason(), "", null), start, new WireLog());
    }
    Outcome outcome = execute(kase, wire);
    if (outcome.stoppedAt() != null) {
      stoppedAnswering = "during " + info.id() + ": " + outcome.actual();
      stoppedAt = info.id() + " " + outcome.stoppedAt();
      everReached = everReached || wire.hasSent();
      return result(info, outcome, start, wire);
    }
    if (outcome.verdict() == Verdict.PASS || outcome.verdict() == Verdict.NON_STRICT) {
      everAnswered = true;
    } else if (outcome.verdict() == Verdict.UNAVAILABLE) {
      stoppedAnswering = "during " + info.id() + ": " + outcome.actual();
      stoppedAt = info.id();
    } else if (everAnswered) {
      // A target that never answered has nothing to stop doing; a refused connection still shows up at once.
      checkStillAnswering(info.id(), wire);
    }
    if (wire.hasSent() && outcome.verdict() != Verdict.UNAVAILABLE) {
      everReached = true;
    }
    return result(info, outcome, start, wire);
  }

  /** Why a case after the target stopped is not run: {@code the target stopped answering at CASE input 3}. */
  String notRunReason() {
    return "the target stopped answering at " + stoppedAt;
  }

  /** Why a peer case is not applicable, or null if every case applies. */
  String notApplicableReason() {
    return notAutoAccepting == null || notAutoAccepting.isEmpty() ? null
        : "the target does not accept chat requests by itself (" + notAutoAccepting + "); every peer case needs a "
            + "chat it accepts (docs/protocol.md#rule-auto-accept): run the peer so that it accepts by itself (the reference peer: --auto-accept)";
  }

  /**
   * Peer mode, once per run: does the target accept a CHAT_REQUEST by itself? "" if it does (or if it cannot
   * be reached at all, which the first case reports), else what happened instead.
   */
  private String checkAutoAccept(WireLog wire) {
    wire.note("before the first case: does the peer accept a chat request by itself?");
    try (Harness harness = new Harness(settings, wire, services.validator(), guards)) {
      // Names of its own, so that the check changes no name the cases use.
      Probe probe = Probe.run(harness, new Names(names.prefix() + "aa-"));
      boolean refused = probe.strays().stream().anyMatch(a -> a.type() == org.p2pchat.protocol.MessageType.CHAT_REFUSE);
      if (probe.answered() || (!probe.heardNothing() && !refused && probe.strays().stream()
          .anyMatch(a -> a.type() == org.p2pchat.protocol.MessageType.CHAT_ACCEPT))) {
        return ""; // it accepts by itself (perhaps wrongly, which the cases judge)
      }
      everReached = true;
      wire.note("it does not: " + probe.problem());
      return refused ? "it answered CHAT_REFUSE" : probe.problem();
    } catch (TargetDownException | IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** True if the target refused every connection of every case run so far. */
  boolean neverReached() {
    return casesRun > 0 && !everReached && stoppedAnswering != null;
  }

  private Outcome execute(Case kase, WireLog wire) {
    Future<Outcome> future = runner.submit(() -> {
      try (Harness harness = new Harness(settings, wire, services.validator(), guards)) {
        return kase.run(new CaseRun(harness, names, services));
      } catch (TargetDownException e) {
        if (!wire.hasSent()) {
          return new Outcome(Verdict.UNAVAILABLE, "the target accepts connections", e.getMessage(), "", null);
        }
        return new Outcome(Verdict.FAIL, "the target keeps accepting connections",
            "the target stopped accepting connections after the last message sent (see the wire log): "
                + e.getMessage(), "", null, "its last message sent");
      }
    });
    Duration deadline = settings.caseDeadline();
    try {
      return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new Outcome(Verdict.FAIL, "the case finishes within " + deadline.toSeconds() + " s",
          "it did not: the target held it up", "", null);
    } catch (ExecutionException e) {
      log.error("case {} failed inside the suite", kase.info().id(), e.getCause());
      return new Outcome(Verdict.FAIL, "the case runs", "the suite itself failed: " + e.getCause(), "", null);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return new Outcome(Verdict.UNAVAILABLE, "the case runs", "interrupted", "", null);
    }
  }

  /** After a failure: does a fresh valid message still get its answer? If not, the target is down. */
  private void checkStillAnswering(String caseId, WireLog wire) {
    wire.note("after the failure: does the target still answer a fresh message?");
    try (Harness harness = new Harness(settings, wire, services.validator(), guards)) {
      Probe probe = Probe.run(harness, names);
      if (probe.answered()) {
        everAnswered = true;
        wire.note("it does");
      } else if (everAnswered) {
        stoppedAnswering = "after " + caseId + ": " + probe.problem();
        stoppedAt = caseId;
        wire.note("it does not: the remaining cases are not run");
      } else {
        wire.note("it does not, and never has in this run; the run goes on");
      }
    } catch (TargetDownException e) {
      stoppedAnswering = "after " + caseId + ": " + e.getMessage();
      stoppedAt = caseId;
      wire.note("it refuses connections: the remaining cases are not run");
    } catch (IOException e) {
      wire.note("the check itself failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static CaseResult result(CaseInfo info, Outcome outcome, Instant start, WireLog wire) {
    return new CaseResult(info, outcome.verdict(), outcome.expected(), outcome.actual(), outcome.details(), start,
        Duration.between(start, Instant.now()), wire.events(), outcome.replayFile());
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    runner.shutdownNow();
    guards.shutdownNow();
    try {
      runner.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
