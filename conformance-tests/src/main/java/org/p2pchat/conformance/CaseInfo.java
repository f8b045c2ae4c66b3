package org.p2pchat.conformance;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one conformance case checks: a stable hierarchical id ({@code server.register.duplicate-name}), a
 * one-line description, and the protocol rule it checks: a stable anchor of docs/protocol.md and a one-line
 * summary. Immutable.
 */
public final class CaseInfo {
  private final String id;
  private final String description;
  /** Where the normative rules live, relative to the repository root. */
  public static final String PROTOCOL_DOC = "docs/protocol.md";

  private final String ruleAnchor;
  private final String rule;
  private final Set<Role> roles;

  public CaseInfo(String id, String description, String ruleAnchor, String rule, Set<Role> roles) {
    this.id = Objects.requireNonNull(id, "id");
    this.description = Objects.requireNonNull(description, "description");
    if (!ruleAnchor.matches("rule-[a-z0-9-]+")) {
      throw new IllegalArgumentException("not a rule anchor of " + PROTOCOL_DOC + ": " + ruleAnchor);
    }
    this.ruleAnchor = ruleAnchor;
    this.rule = Objects.requireNonNull(rule, "rule");
    this.roles = Set.copyOf(EnumSet.copyOf(roles));
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  /** The rule in one line. */
  public String rule() {
    return rule;
  }

  /** The rule's stable anchor in docs/protocol.md, such as {@code rule-register}. */
  public String ruleAnchor() {
    return ruleAnchor;
  }

  /** {@code docs/protocol.md#rule-register}: where the rule is written in full. */
  public String ruleLink() {
    return PROTOCOL_DOC + "#" + ruleAnchor;
  }

  /** The roles this case applies to. */
  public Set<Role> roles() {
    return roles;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CaseInfo && ((CaseInfo) o).id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return id;
  }
}
