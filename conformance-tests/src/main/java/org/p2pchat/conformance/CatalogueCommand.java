package org.p2pchat.conformance;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code conformance catalogue}: prints the case catalogue as Markdown (the text of docs/conformance.md). */
@Command(name = "catalogue",
    description = "Prints every case (id, roles, description, rule) as Markdown: the text of docs/conformance.md.")
final class CatalogueCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(Catalogue.markdown());
    spec.commandLine().getOut().flush();
    return ConformanceMain.EXIT_OK;
  }
}
