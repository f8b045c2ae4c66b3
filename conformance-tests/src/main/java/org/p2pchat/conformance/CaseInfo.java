package org.p2pchat.conformance;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one conformance case checks: a stable hierarchical id ({@code server.register.duplicate-name}), a
 * one-line description, and the protocol rule it checks, quoted. Immutable.
 */
public final class CaseInfo {
  private final String id;
  private final String description;
  private final String rule;
  private final Set<Role> roles;

  public CaseInfo(String id, String description, String rule, Set<Role> roles) {
    this.id = Objects.requireNonNull(id, "id");
    this.description = Objects.requireNonNull(description, "description");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.roles = Set.copyOf(EnumSet.copyOf(roles));
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  /** The rule, quoted from the protocol notes. */
  public String rule() {
    return rule;
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
