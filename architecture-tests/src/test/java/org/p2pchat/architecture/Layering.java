package org.p2pchat.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.List;

/**
 * The layering, as rules over package names. Each module owns one package root:
 * cli {@code org.p2pchat.cli}, schema {@code org.p2pchat.protocol} (the tools module's {@code .tool} aside),
 * sdk {@code org.p2pchat.sdk}, sdk-testing {@code org.p2pchat.testing}, reference-server
 * {@code org.p2pchat.server}, reference-peer {@code org.p2pchat.peer}, conformance-tests
 * {@code org.p2pchat.conformance}, benchmarks {@code org.p2pchat.bench}, tools {@code org.p2pchat.protocol.tool},
 * demo {@code org.p2pchat.demo}, mesh {@code org.p2pchat.mesh}, identity {@code org.p2pchat.identity},
 * file-transfer {@code org.p2pchat.filetransfer}.
 */
final class Layering {
  static final String SCHEMA = "org.p2pchat.protocol..";
  static final String TOOLS = "org.p2pchat.protocol.tool..";
  static final String SDK = "org.p2pchat.sdk..";
  static final String SERVER = "org.p2pchat.server..";
  static final String PEER = "org.p2pchat.peer..";
  static final String CONFORMANCE = "org.p2pchat.conformance..";
  static final String BENCH = "org.p2pchat.bench..";
  static final String DEMO = "org.p2pchat.demo..";
  static final String TESTING = "org.p2pchat.testing..";
  static final String CLI = "org.p2pchat.cli..";
  static final String MESH = "org.p2pchat.mesh..";
  static final String IDENTITY = "org.p2pchat.identity..";
  static final String FILE_TRANSFER = "org.p2pchat.filetransfer..";

  private Layering() {}

  static final ArchRule SCHEMA_KNOWS_NO_SDK = noClasses()
      .that().resideInAPackage(SCHEMA).and().resideOutsideOfPackage(TOOLS)
      .should().dependOnClassesThat().resideInAnyPackage(SDK, TESTING, SERVER, PEER, CONFORMANCE, BENCH, DEMO, TOOLS, CLI)
      .because("the schema jar is the spec and its model: third parties depend on it alone");

  static final ArchRule SCHEMA_HAS_NO_CLI_LIBRARY = noClasses()
      .that().resideInAPackage(SCHEMA).and().resideOutsideOfPackage(TOOLS)
      .should().dependOnClassesThat().resideInAnyPackage("picocli..", "org.jline..")
      .because("a command-line library has no place on a protocol library's runtime path");

  static final ArchRule SDK_KNOWS_NO_APP = noClasses()
      .that().resideInAPackage(SDK)
      .should().dependOnClassesThat().resideInAnyPackage(SERVER, PEER, CONFORMANCE, BENCH, DEMO, TOOLS, CLI, TESTING)
      .because("the SDK serves every app and knows none");

  static final ArchRule SERVER_KNOWS_NO_PEER = noClasses()
      .that().resideInAPackage(SERVER)
      .should().dependOnClassesThat().resideInAnyPackage(PEER, DEMO)
      .because("the reference server and peer stand side by side");

  static final ArchRule PEER_KNOWS_NO_SERVER = noClasses()
      .that().resideInAPackage(PEER)
      .should().dependOnClassesThat().resideInAnyPackage(SERVER, DEMO)
      .because("the reference server and peer stand side by side; only the demo runs both");

  static final ArchRule CONFORMANCE_KNOWS_NO_REFERENCE_APP = noClasses()
      .that().resideInAPackage(CONFORMANCE)
      .should().dependOnClassesThat().resideInAnyPackage(SERVER, PEER, DEMO)
      .because("the suite must judge any implementation, ours included");

  static final ArchRule NOTHING_USES_THE_CODE_GENERATOR = noClasses()
      .should().dependOnClassesThat().resideInAPackage("org.jsonschema2pojo..")
      .because("jsonschema2pojo generates the model at build time and never ships");

  static final ArchRule NO_MODULE_IMPORTS_ANOTHER_MODULES_INTERNALS = CompositeArchRule.of(List.of(
      internalsOf("org.p2pchat.sdk"),
      internalsOf("org.p2pchat.server"),
      internalsOf("org.p2pchat.peer"),
      internalsOf("org.p2pchat.conformance"),
      internalsOf("org.p2pchat.bench"),
      internalsOf("org.p2pchat.protocol"),
      internalsOf("org.p2pchat.demo"),
      internalsOf("org.p2pchat.cli")))
      .as("no module imports another module's internal package");

  // Pure cores: state machines driven by the apps, so they stay testable and simulable without I/O.
  static final ArchRule PURE_CORES_ARE_PURE = CompositeArchRule.of(List.of(
      pureCore(MESH, IDENTITY, FILE_TRANSFER),
      pureCore(IDENTITY, MESH, FILE_TRANSFER),
      pureCore(FILE_TRANSFER, MESH, IDENTITY)))
      .as("mesh, identity and file-transfer depend on no other p2pchat module, no sockets and no threads");

  static final List<ArchRule> ALL = List.of(PURE_CORES_ARE_PURE, SCHEMA_KNOWS_NO_SDK, SCHEMA_HAS_NO_CLI_LIBRARY, SDK_KNOWS_NO_APP,
      SERVER_KNOWS_NO_PEER, PEER_KNOWS_NO_SERVER, CONFORMANCE_KNOWS_NO_REFERENCE_APP, NOTHING_USES_THE_CODE_GENERATOR,
      NO_MODULE_IMPORTS_ANOTHER_MODULES_INTERNALS);

  private static ArchRule pureCore(String core, String... otherCores) {
    String[] forbidden = new String[] {SCHEMA, SDK, TESTING, SERVER, PEER, CONFORMANCE, BENCH, DEMO, CLI,
        otherCores[0], otherCores[1], "java.net.."};
    // java.nio.channels: network channels and selectors only; file-transfer and identity write files
    // through FileChannel, which is storage, not transport.
    return noClasses()
        .that().resideInAPackage(core)
        .should().dependOnClassesThat().resideInAnyPackage(forbidden)
        .orShould().dependOnClassesThat().areAssignableTo(java.nio.channels.NetworkChannel.class)
        .orShould().dependOnClassesThat().areAssignableTo(java.nio.channels.SelectableChannel.class)
        .orShould().dependOnClassesThat().areAssignableTo(java.nio.channels.Selector.class)
        .orShould().dependOnClassesThat().areAssignableTo(java.nio.channels.AsynchronousChannel.class)
        .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
        .allowEmptyShould(true)
        .because(core + " is a pure core: no other module, no sockets, no threads");
  }

  private static ArchRule internalsOf(String root) {
    return noClasses()
        .that().resideOutsideOfPackage(root + "..")
        .should().dependOnClassesThat().resideInAPackage(root + ".internal..")
        .allowEmptyShould(true)
        .because(root + ".internal is private to its module");
  }
}
