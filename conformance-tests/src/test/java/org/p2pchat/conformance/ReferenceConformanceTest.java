package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.conformance.testimpl.ReferenceTargets;
import org.p2pchat.conformance.testimpl.RunningTarget;

/**
 * The whole suite against the correct server and the correct peer, hosted by JUnit the way a CI would
 * host it: one dynamic test per case, each of which must PASS.
 */
class ReferenceConformanceTest {
  @TempDir
  Path sequences;

  @TestFactory
  Stream<DynamicTest> everyCasePassesAgainstTheReferenceServer() throws IOException {
    return everyCasePasses(ReferenceTargets.server(), Role.SERVER, 11);
  }

  @TestFactory
  Stream<DynamicTest> everyCasePassesAgainstTheReferencePeer() throws IOException {
    return everyCasePasses(ReferenceTargets.peer(), Role.PEER, 12);
  }

  @TestFactory
  Stream<DynamicTest> aPeerWithoutIdentityGetsNotApplicableForMeshAndIdentityAndPassesTheRest() throws IOException {
    RunningTarget target = ReferenceTargets.peer(false);
    ConformanceSuite suite = Suites.fast(target.address(), Role.PEER, sequences).seed(13).build();
    Session session = suite.open();
    return suite.cases().stream()
        .map(c -> dynamicTest(c.id(), () -> {
          CaseResult result = session.run(c);
          // mesh.never-to-2018 holds for any peer; the other mesh cases need a mesh to judge, and the
          // identity cases a peer that advertises identity-v1.
          boolean needsMesh = c.id().startsWith("mesh.") && !c.id().equals("mesh.never-to-2018");
          Verdict expected = needsMesh || c.id().startsWith("identity.") ? Verdict.NOT_APPLICABLE : Verdict.PASS;
          assertEquals(expected, result.verdict(), result::describe);
        }))
        .onClose(() -> {
          session.close();
          target.close();
        });
  }

  private Stream<DynamicTest> everyCasePasses(RunningTarget target, Role role, long seed) {
    ConformanceSuite suite = Suites.fast(target.address(), role, sequences).seed(seed).build();
    Session session = suite.open();
    return suite.cases().stream()
        .map(c -> dynamicTest(c.id(), () -> {
          CaseResult result = session.run(c);
          assertEquals(Verdict.PASS, result.verdict(), result::describe);
        }))
        .onClose(() -> {
          session.close();
          target.close();
        });
  }
}
