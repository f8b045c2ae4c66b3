package org.p2pchat.conformance.internal;

import java.nio.file.Path;
import java.util.EnumSet;
import org.p2pchat.conformance.CaseInfo;
import org.p2pchat.conformance.Role;
import org.p2pchat.conformance.Verdict;

/**
 * {@code generated.sequence.N}: sequence N of the run's seed, run beside the reference model. On a
 * mismatch the sequence is shrunk against the target, run once more to record a clean wire log, printed
 * step by step and written as a replay file. If the target stops answering, nothing is shrunk or re-run:
 * the verdict names the step after which it stopped and keeps the wire log of the run that stopped it.
 */
public final class GeneratedCase implements Case {
  /** The id pattern, for the catalogue. */
  public static final String ID_PATTERN = "generated.sequence.N";

  private final int index;
  private final CaseInfo info;

  public GeneratedCase(int index) {
    this.index = index;
    this.info = info("generated.sequence." + index, "Generated sequence " + index + " of the run's seed, run step by "
        + "step beside the reference model; a mismatch is shrunk and written as a replay file");
  }

  /** The catalogue's row for all generated cases. */
  public static CaseInfo pattern() {
    return info(ID_PATTERN, "Sequence N (1 to --sequences) generated from --seed over the action model (server: "
        + "register, duplicate, LISTPEER registered or not, EXIT_NETWORK, register again, bad input; peer: chat "
        + "requests, messages, disconnects, bad input); a mismatch is shrunk to a minimal replayable sequence");
  }

  private static CaseInfo info(String id, String description) {
    return new CaseInfo(id, description, Rules.MODEL.anchor(), Rules.MODEL.text(), EnumSet.allOf(Role.class));
  }

  @Override
  public CaseInfo info() {
    return info;
  }

  @Override
  public Outcome run(CaseRun run) throws Exception {
    Settings s = run.settings();
    Sequence sequence = Generator.generate(s.role(), s.seed(), index, s.maxActions());
    SequenceRunner runner = new SequenceRunner(s, run.services());
    WireLog scratch = new WireLog();
    SequenceRunner.Result first = runner.run(sequence, run.names().scope(), scratch);
    String header = "seed " + s.seed() + ", sequence " + index + ": " + sequence.size() + " generated steps";
    if (first.status() == SequenceRunner.Status.PASSED) {
      run.harness().log().addAll(scratch.events());
      return new Outcome(Verdict.PASS, "every reply or silence as the model predicts",
          "all " + sequence.size() + " steps matched", header + "\n" + String.join("\n", first.transcript()), null);
    }
    if (first.status() == SequenceRunner.Status.UNAVAILABLE) {
      run.harness().log().addAll(scratch.events());
      return new Outcome(Verdict.UNAVAILABLE, first.expected(), first.actual(), header, null);
    }
    if (first.status() == SequenceRunner.Status.STOPPED) {
      // The target died: no shrinking (each candidate would only find it down), and the wire log of the run
      // that killed it is the evidence.
      run.harness().log().addAll(scratch.events());
      String where = "step " + (first.failedStep() + 1);
      StringBuilder details = new StringBuilder(header).append(": the target stopped answering after ")
          .append(where).append(". Could not shrink: target down. The steps up to there:\n");
      Path file = transcriptAndReplay(run, details, sequence.prefix(first.failedStep() + 1), sequence.size(), first);
      return new Outcome(Verdict.FAIL, first.expected(), first.actual(), details.toString(), file, where);
    }
    StringBuilder details = new StringBuilder(header).append(", the first mismatch at step ")
        .append(first.failedStep() + 1).append(".\n");
    Sequence smallest = sequence.prefix(first.failedStep() + 1);
    SequenceRunner.Result record = first;
    String stoppedAt = null;
    if (run.services().takeShrink()) {
      Shrinker.Shrunk shrunk = Shrinker.shrink(sequence, first,
          candidate -> runner.run(candidate, run.names().scope(), new WireLog()), s.maxShrinkRuns(), s.shrinkBudget());
      // One more run of the smallest sequence records a clean wire log for the report.
      WireLog confirmLog = new WireLog();
      SequenceRunner.Result confirm = shrunk.targetDown() ? null
          : runner.run(shrunk.sequence(), run.names().scope(), confirmLog);
      if (confirm != null && confirm.failed()) {
        smallest = shrunk.sequence();
        record = confirm;
        run.harness().log().addAll(confirmLog.events());
        details.append("shrunk to ").append(smallest.size()).append(smallest.size() == 1 ? " step" : " steps")
            .append(" in ").append(shrunk.runs()).append(" runs")
            .append(shrunk.stoppedEarly() == null ? "" : " (stopped early by " + shrunk.stoppedEarly() + ")")
            .append(":\n");
      } else if (confirm == null || confirm.targetDown()) {
        // The target went down while shrinking: report the first run as it happened.
        run.harness().log().addAll(scratch.events());
        stoppedAt = "shrinking";
        details.append("could not shrink: target down (")
            .append(confirm == null ? shrunk.stoppedEarly() : confirm.actual())
            .append("); the failing run as it happened:\n");
      } else {
        run.harness().log().addAll(scratch.events());
        details.append("not shrunk: the smallest sequence found (").append(shrunk.sequence().size())
            .append(" steps) passed when run once more, so the failure depends on timing; the failing run:\n");
      }
    } else {
      run.harness().log().addAll(scratch.events());
      details.append("not shrunk: the run's limit of shrunk sequences (--max-shrinks) is used up; its ")
          .append(smallest.size()).append(" steps:\n");
    }
    Path file = transcriptAndReplay(run, details, smallest, sequence.size(), record);
    return new Outcome(Verdict.FAIL, record.expected(), record.actual(), details.toString(), file, stoppedAt);
  }

  private Path transcriptAndReplay(CaseRun run, StringBuilder details, Sequence steps, int generated,
      SequenceRunner.Result result) throws java.io.IOException {
    Settings s = run.settings();
    for (String line : result.transcript()) {
      details.append("  ").append(line).append('\n');
    }
    Path file = SequenceFile.write(run.services().sequenceDir(), info.id(), steps, s.seed(), index, generated,
        s.target().toString(), result);
    details.append("replay: p2pchat conformance replay ").append(file).append(" --target ").append(s.target());
    return file;
  }
}
