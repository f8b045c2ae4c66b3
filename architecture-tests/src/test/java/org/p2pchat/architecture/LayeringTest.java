package org.p2pchat.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.mesh.fixture.MeshUsingASocket;
import org.p2pchat.peer.fixture.PeerImportingTheServer;
import org.p2pchat.protocol.fixture.SchemaImportingTheSdk;

/** Every module's main classes (test classes aside) against the rules in {@link Layering}. */
class LayeringTest {
  private static JavaClasses production;

  @BeforeAll
  static void importEveryModule() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.p2pchat");
  }

  @Test
  void everyModulesMainClassesAreImported() {
    // Guards against checking nothing: a rule over an empty set passes.
    for (String anyClass : new String[] {"org.p2pchat.cli.Cli", "org.p2pchat.protocol.MessageValidator",
        "org.p2pchat.sdk.Node", "org.p2pchat.testing.FakePeer", "org.p2pchat.server.RendezvousServer",
        "org.p2pchat.peer.ChatPeer", "org.p2pchat.conformance.ConformanceMain", "org.p2pchat.bench.BenchMain",
        "org.p2pchat.protocol.tool.ValidateMain", "org.p2pchat.demo.DemoMain", "org.p2pchat.mesh.MeshNode",
        "org.p2pchat.identity.Session"}) {
      assertTrue(production.contain(anyClass), anyClass + " was not imported");
    }
    assertFalse(production.contain(PeerImportingTheServer.class), "a test fixture was imported as main code");
  }

  @Test
  void schemaKnowsNoSdk() {
    Layering.SCHEMA_KNOWS_NO_SDK.check(production);
  }

  @Test
  void schemaHasNoCliLibrary() {
    Layering.SCHEMA_HAS_NO_CLI_LIBRARY.check(production);
  }

  @Test
  void sdkKnowsNoApp() {
    Layering.SDK_KNOWS_NO_APP.check(production);
  }

  @Test
  void serverAndPeerNeverImportEachOther() {
    Layering.SERVER_KNOWS_NO_PEER.check(production);
    Layering.PEER_KNOWS_NO_SERVER.check(production);
  }

  @Test
  void conformanceImportsNeitherReferenceApp() {
    Layering.CONFORMANCE_KNOWS_NO_REFERENCE_APP.check(production);
  }

  @Test
  void noModuleImportsAnotherModulesInternals() {
    Layering.NO_MODULE_IMPORTS_ANOTHER_MODULES_INTERNALS.check(production);
  }

  @Test
  void nothingDependsOnTheCodeGeneratorAtRunTime() {
    Layering.NOTHING_USES_THE_CODE_GENERATOR.check(production);
    // Nor is it on the run-time class path of any module (all of them are on this one).
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.jsonschema2pojo.Jsonschema2Pojo"));
  }

  @Test
  void pureCoresUseNoOtherModuleNoSocketAndNoThread() {
    Layering.PURE_CORES_ARE_PURE.check(production);
  }

  @Test
  void aSocketOrThreadInAPureCoreFailsTheRule() {
    JavaClasses fixture = new ClassFileImporter().importClasses(MeshUsingASocket.class);
    assertViolates(Layering.PURE_CORES_ARE_PURE, fixture, "java.net.Socket");
    assertViolates(Layering.PURE_CORES_ARE_PURE, fixture, "java.lang.Thread");
    assertViolates(Layering.PURE_CORES_ARE_PURE, fixture, "java.nio.channels.SocketChannel");
  }

  @Test
  void aForbiddenImportFailsTheRules() {
    JavaClasses fixtures = new ClassFileImporter().importClasses(PeerImportingTheServer.class,
        SchemaImportingTheSdk.class);

    assertViolates(Layering.PEER_KNOWS_NO_SERVER, fixtures, "PeerImportingTheServer");
    assertViolates(Layering.SCHEMA_KNOWS_NO_SDK, fixtures, "SchemaImportingTheSdk");
    assertViolates(Layering.NO_MODULE_IMPORTS_ANOTHER_MODULES_INTERNALS, fixtures, "SchemaImportingTheSdk");
    for (ArchRule rule : Layering.ALL) {
      if (rule != Layering.PEER_KNOWS_NO_SERVER && rule != Layering.SCHEMA_KNOWS_NO_SDK
          && rule != Layering.NO_MODULE_IMPORTS_ANOTHER_MODULES_INTERNALS && rule != Layering.SDK_KNOWS_NO_APP) {
        assertFalse(rule.allowEmptyShould(true).evaluate(fixtures).hasViolation(), rule.getDescription());
      }
    }
  }

  private static void assertViolates(ArchRule rule, JavaClasses classes, String offender) {
    EvaluationResult result = rule.evaluate(classes);
    assertTrue(result.hasViolation(), rule.getDescription());
    assertTrue(result.getFailureReport().toString().contains(offender), result.getFailureReport().toString());
  }
}
