package org.p2pchat.conformance.internal;

import java.util.ArrayList;
import java.util.List;
import org.p2pchat.conformance.CaseInfo;
import org.p2pchat.conformance.Role;

/**
 * Every case, in the order a run takes them: the role's own rules, the bad-input catalogue, the generated
 * sequences, the role's identity-v1 rules, and last a check that the target still serves after all of it.
 */
public final class Catalog {
  private Catalog() {}

  public static List<Case> cases(Role role, int sequences) {
    List<Case> all = new ArrayList<>(role == Role.SERVER ? ServerCases.all() : PeerCases.all());
    if (role != Role.SERVER) {
      all.addAll(MeshCases.all());
    }
    all.addAll(RobustnessCases.all());
    for (int i = 1; i <= sequences; i++) {
      all.add(new GeneratedCase(i));
    }
    // After the sequences, so that adding them changed none of the names a seed's sequences use.
    all.addAll(role == Role.SERVER ? IdentityCases.server() : IdentityCases.peer());
    all.add(role == Role.SERVER ? ServerCases.finalCheck() : PeerCases.finalCheck());
    return all;
  }

  /** One row per case for the documentation: server, peer, robustness, then the generated pattern. */
  public static List<CaseInfo> catalogue() {
    List<CaseInfo> rows = new ArrayList<>();
    ServerCases.all().forEach(c -> rows.add(c.info()));
    IdentityCases.server().forEach(c -> rows.add(c.info()));
    rows.add(ServerCases.finalCheck().info());
    PeerCases.all().forEach(c -> rows.add(c.info()));
    IdentityCases.peer().forEach(c -> rows.add(c.info()));
    MeshCases.all().forEach(c -> rows.add(c.info()));
    rows.add(PeerCases.finalCheck().info());
    RobustnessCases.all().forEach(c -> rows.add(c.info()));
    rows.add(GeneratedCase.pattern());
    return rows;
  }
}
