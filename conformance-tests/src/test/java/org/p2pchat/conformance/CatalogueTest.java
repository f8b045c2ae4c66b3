package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogueTest {
  @Test
  void docsCatalogueMatchesTheSuite() throws Exception {
    Path file = Path.of(System.getProperty("conformance.catalogue", "../docs/conformance.md"));
    assertEquals(Catalogue.markdown(), Files.readString(file, StandardCharsets.UTF_8),
        "docs/conformance.md is out of date; regenerate it: "
            + "bin/p2pchat conformance catalogue > docs/conformance.md");
  }

  @Test
  void everyCaseHasAUniqueHierarchicalIdADescriptionAndARuleAnchorThatExists() throws Exception {
    String protocol = Files.readString(Path.of(System.getProperty("basedir", ".")).resolve("../docs/protocol.md"),
        StandardCharsets.UTF_8);
    Set<String> ids = new HashSet<>();
    for (CaseInfo info : Catalogue.all()) {
      assertTrue(ids.add(info.id()), "duplicate id " + info.id());
      assertTrue(info.id().matches("(server|peer|robustness|generated|identity|mesh)(\\.[a-z0-9-]+|\\.N)+"), info.id());
      assertTrue(!info.description().isBlank() && !info.description().contains("\n"), info.id());
      assertTrue(protocol.contains("<a id=\"" + info.ruleAnchor() + "\"></a>"),
          "the rule anchor of " + info.id() + " is not in docs/protocol.md: " + info.ruleAnchor());
      assertTrue(!info.rule().isBlank(), info.id());
    }
    for (String id : new String[] {"server.register.ok", "server.register.duplicate-name",
        "server.listpeer.unregistered-silent", "server.listpeer.order", "server.exit.then-reregister",
        "server.reply.advertised-address", "peer.chat-request.accept", "peer.chat-message.connected",
        "peer.chat-message.unconnected", "peer.disconnect", "robustness.malformed-json", "robustness.truncated",
        "robustness.non-utf8", "robustness.oversize.1mib", "robustness.deep-nesting", "robustness.unknown-type",
        "robustness.wrong-types", "robustness.empty-connection", "robustness.stalled-half-message",
        "robustness.two-messages", "robustness.idle-flood", "generated.sequence.N"}) {
      assertTrue(ids.contains(id), "the catalogue has " + id);
    }
  }
}
