package org.p2pchat.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.p2pchat.conformance.Role;

class GeneratorTest {
  @Test
  void sameSeedAndIndexGiveTheSameSequence() {
    for (Role role : Role.values()) {
      assertEquals(Generator.generate(role, 42, 3, 20), Generator.generate(role, 42, 3, 20));
    }
  }

  @Test
  void otherIndexesAndSeedsGiveOtherSequences() {
    assertNotEquals(Generator.generate(Role.SERVER, 42, 3, 20), Generator.generate(Role.SERVER, 42, 4, 20));
    assertNotEquals(Generator.generate(Role.SERVER, 42, 3, 20), Generator.generate(Role.SERVER, 43, 3, 20));
  }

  @Test
  void lengthStaysBetweenHalfAndTheMaximum() {
    for (int max = 1; max <= 30; max++) {
      for (int index = 1; index <= 10; index++) {
        int size = Generator.generate(Role.SERVER, 5, index, max).size();
        assertTrue(size >= Math.max(1, max / 2) && size <= max, "max " + max + " gave " + size);
      }
    }
  }

  @Test
  void stepsFitTheRoleAndNamesFitTheSchemaUnderAnyRunPrefix() {
    String longestPrefix = "abcde-s9999-";
    for (Role role : Role.values()) {
      for (int index = 1; index <= 200; index++) {
        Sequence s = Generator.generate(role, 11, index, 20);
        for (Action action : s.actions()) {
          assertTrue(SequenceRunner.fits(role, action), role + " sequence has " + action);
        }
        for (String name : s.names()) {
          String full = longestPrefix + name;
          assertTrue(full.codePointCount(0, full.length()) <= 64, full);
          assertTrue(full.chars().noneMatch(c -> c < 0x20 || c == 0x7f), full);
        }
        if (role == Role.PEER) {
          assertEquals(s.peers(), s.names().size());
        }
      }
    }
  }

  @Test
  void reachesTheInterestingServerCasesWithinAFewSequences() {
    Set<String> seen = new HashSet<>();
    for (int index = 1; index <= 10; index++) {
      Sequence s = Generator.generate(Role.SERVER, 1, index, 20);
      ServerModel model = new ServerModel();
      Set<Integer> left = new HashSet<>();
      for (Action action : s.actions()) {
        if (action instanceof Action.Register r && model.registered().contains(r.name())) {
          seen.add("taken name registered again");
        }
        if (action instanceof Action.Register r && left.contains(r.name())) {
          seen.add("name that left registered again");
        }
        if (action instanceof Action.Listpeer l && !model.registered().contains(l.name())) {
          seen.add("LISTPEER from an unregistered name");
        }
        if (action instanceof Action.Exit e && model.registered().contains(e.name())) {
          left.add(e.name());
        }
        if (action instanceof Action.BadInput) {
          seen.add("bad input");
        }
        model.step(action);
      }
    }
    assertEquals(Set.of("taken name registered again", "name that left registered again",
        "LISTPEER from an unregistered name", "bad input"), seen);
  }
}
