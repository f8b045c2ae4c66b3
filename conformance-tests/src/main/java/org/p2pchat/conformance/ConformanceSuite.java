package org.p2pchat.conformance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.p2pchat.cli.Durations;
import org.p2pchat.conformance.internal.Case;
import org.p2pchat.conformance.internal.Catalog;
import org.p2pchat.conformance.internal.Glob;
import org.p2pchat.conformance.internal.Settings;
import org.p2pchat.protocol.HostPort;

/**
 * The conformance suite for one target: which cases run, with which settings. Immutable; build it with
 * {@link #builder()}, then either {@link #run} every selected case, or {@link #open} a session and run
 * cases one at a time (how a JUnit {@code @TestFactory} hosts it, one dynamic test per case).
 *
 * <pre>{@code
 * ConformanceSuite suite = ConformanceSuite.builder()
 *     .target(HostPort.parse("127.0.0.1:30000")).role(Role.SERVER).seed(42).build();
 * SuiteReport report = suite.run(result -> System.out.println(result));
 * }</pre>
 */
public final class ConformanceSuite {
  private final Settings settings;
  private final Map<String, Case> selected;
  private final KnownFailures knownFailures;
  private final String namePrefix;

  private ConformanceSuite(Settings settings, Map<String, Case> selected, KnownFailures knownFailures,
      String namePrefix) {
    this.settings = settings;
    this.selected = selected;
    this.knownFailures = knownFailures;
    this.namePrefix = namePrefix;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The selected cases, in the order they run. */
  public List<CaseInfo> cases() {
    List<CaseInfo> infos = new ArrayList<>();
    selected.values().forEach(c -> infos.add(c.info()));
    return infos;
  }

  public HostPort target() {
    return settings.target();
  }

  public Role role() {
    return settings.role();
  }

  /** The seed of the generated sequences; the same seed generates the same sequences. */
  public long seed() {
    return settings.seed();
  }

  public KnownFailures knownFailures() {
    return knownFailures;
  }

  Settings settings() {
    return settings;
  }

  /** The fixed prefix of peer names, or null for a random one per session. */
  String namePrefix() {
    return namePrefix;
  }

  Case caseFor(CaseInfo info) {
    Case found = selected.get(info.id());
    if (found == null) {
      throw new IllegalArgumentException("not a selected case: " + info.id());
    }
    return found;
  }

  /** Starts a session: listeners and threads for running cases one at a time. Close it when done. */
  public Session open() {
    return new Session(this);
  }

  /** Runs every selected case in order, telling {@code progress} of each result as it comes. */
  public SuiteReport run(Consumer<CaseResult> progress) {
    Instant start = Instant.now();
    List<CaseResult> results = new ArrayList<>();
    try (Session session = open()) {
      for (CaseInfo info : cases()) {
        CaseResult result = session.run(info);
        results.add(result);
        progress.accept(result);
      }
      return new SuiteReport(settings.target(), settings.role(), settings.seed(), start,
          Duration.between(start, Instant.now()), results, knownFailures, session.neverReached());
    }
  }

  /** Suite settings; every default is documented on its setter. */
  public static final class Builder {
    private HostPort target;
    private Role role;
    private String advertiseHost = "127.0.0.1";
    private Long seed;
    private int sequences = 10;
    private int maxActions = 20;
    private Duration replyTimeout = Duration.ofSeconds(2);
    private Duration silence = Duration.ofMillis(300);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private int idleConnections = 50;
    private int maxShrinks = 3;
    private int maxShrinkRuns = 150;
    private Duration shrinkBudget = Duration.ofSeconds(60);
    private Path sequenceDir;
    private List<String> include = List.of("*");
    private List<String> exclude = List.of();
    private KnownFailures knownFailures = KnownFailures.none();
    private String namePrefix;

    /** The implementation under test. Required. */
    public Builder target(HostPort target) {
      this.target = Objects.requireNonNull(target);
      return this;
    }

    /** What the target is. Required. */
    public Builder role(Role role) {
      this.role = Objects.requireNonNull(role);
      return this;
    }

    /**
     * The host the suite's simulated peers advertise; default 127.0.0.1. For a target on another machine,
     * an address of this machine that the target can reach; the suite then listens on all interfaces.
     */
    public Builder advertiseHost(String host) {
      this.advertiseHost = Objects.requireNonNull(host);
      return this;
    }

    /** Seed of the generated sequences; default a random one (reported, so a run can be repeated). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Number of generated sequences; default 10. */
    public Builder sequences(int sequences) {
      this.sequences = atLeast(sequences, 0, "sequences");
      return this;
    }

    /** Longest generated sequence; default 20 steps. */
    public Builder maxActions(int maxActions) {
      this.maxActions = atLeast(maxActions, 1, "maxActions");
      return this;
    }

    /** How long to wait for a reply the protocol requires; default 2 s. */
    public Builder replyTimeout(Duration timeout) {
      this.replyTimeout = Durations.positive(timeout, "replyTimeout");
      return this;
    }

    /** How long to watch for messages where the protocol requires silence; default 300 ms. */
    public Builder silence(Duration window) {
      this.silence = Durations.positive(window, "silence");
      return this;
    }

    /** Connect timeout towards the target; default 2 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Durations.positive(timeout, "connectTimeout");
      return this;
    }

    /** Idle connections held open by {@code robustness.idle-flood}; default 50. */
    public Builder idleConnections(int count) {
      this.idleConnections = atLeast(count, 1, "idleConnections");
      return this;
    }

    /** How many failing sequences are shrunk in one run (later ones are reported unshrunk); default 3. */
    public Builder maxShrinks(int count) {
      this.maxShrinks = atLeast(count, 0, "maxShrinks");
      return this;
    }

    /** Candidate runs one shrink may make; default 150. */
    public Builder maxShrinkRuns(int runs) {
      this.maxShrinkRuns = atLeast(runs, 1, "maxShrinkRuns");
      return this;
    }

    /** Time one shrink may take; default 60 s. */
    public Builder shrinkBudget(Duration budget) {
      this.shrinkBudget = Durations.positive(budget, "shrinkBudget");
      return this;
    }

    /** Where replay files of failing sequences go; default a new temporary folder. */
    public Builder sequenceDir(Path dir) {
      this.sequenceDir = dir;
      return this;
    }

    /** Case id globs to run ({@code *} any characters); default all. */
    public Builder include(List<String> globs) {
      this.include = globs.isEmpty() ? List.of("*") : List.copyOf(globs);
      return this;
    }

    /** Case id globs to leave out; default none. */
    public Builder exclude(List<String> globs) {
      this.exclude = List.copyOf(globs);
      return this;
    }

    /**
     * A fixed prefix for every peer name the suite uses, so that a run against a fresh target is repeatable
     * to the byte; default a random prefix per session, which keeps runs against a long-lived target apart.
     */
    public Builder namePrefix(String prefix) {
      if (prefix.isEmpty() || prefix.length() > 12) {
        throw new IllegalArgumentException("namePrefix must be 1 to 12 characters, got '" + prefix + "'");
      }
      this.namePrefix = prefix;
      return this;
    }

    /** Cases expected to fail; default none. */
    public Builder knownFailures(KnownFailures known) {
      this.knownFailures = Objects.requireNonNull(known);
      return this;
    }

    /**
     * Builds the suite.
     *
     * @throws IllegalArgumentException if the target or role is missing, or the selection matches no case
     */
    public ConformanceSuite build() {
      if (target == null) {
        throw new IllegalArgumentException("a target is required (--target HOST:PORT)");
      }
      if (role == null) {
        throw new IllegalArgumentException("a role is required (--role server or --role peer)");
      }
      long actualSeed = seed != null ? seed : new SecureRandom().nextLong() & 0xFFFF_FFFFL;
      Settings settings = new Settings(target, role, advertiseHost, bindHost(advertiseHost), replyTimeout, silence,
          connectTimeout, idleConnections, actualSeed, sequences, maxActions, maxShrinks, maxShrinkRuns,
          shrinkBudget, sequenceDir);
      Map<String, Case> selected = new LinkedHashMap<>();
      for (Case c : Catalog.cases(role, sequences)) {
        String id = c.info().id();
        if (Glob.matchesAny(include, id) && !Glob.matchesAny(exclude, id)) {
          selected.put(id, c);
        }
      }
      if (selected.isEmpty()) {
        throw new IllegalArgumentException("the selection matches no " + role.label() + " case (cases "
            + String.join(",", include) + (exclude.isEmpty() ? "" : ", exclude " + String.join(",", exclude))
            + "); see --list");
      }
      return new ConformanceSuite(settings, selected, knownFailures, namePrefix);
    }

    /** Loopback stays on loopback; any other advertised host means listening on every interface. */
    static String bindHost(String advertiseHost) {
      try {
        InetAddress address = InetAddress.getByName(advertiseHost);
        return address.isLoopbackAddress() ? address.getHostAddress() : "0.0.0.0";
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("cannot resolve --advertise-host " + advertiseHost, e);
      }
    }

    private static int atLeast(int value, int min, String name) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
      }
      return value;
    }

  }
}
