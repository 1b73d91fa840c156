package io.meshcast.adapter.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class RendezvousTest {

  private static final List<String> KEYS = IntStream.range(0, 3_000)
      .mapToObj(i -> "shop/svc-" + i + "/kuma_rps").toList();

  private static Map<String, String> owners(List<String> members) {
    Map<String, String> out = new HashMap<>();
    for (String k : KEYS) {
      out.put(k, Rendezvous.owner(k, members).orElseThrow());
    }
    return out;
  }

  @Test
  void owner_threeMembers_spreadsKeysEvenly() {
    Map<String, String> owners = owners(List.of("meshcast-0", "meshcast-1", "meshcast-2"));
    for (String m : List.of("meshcast-0", "meshcast-1", "meshcast-2")) {
      long n = owners.values().stream().filter(m::equals).count();
      // 1,000 expected; a binomial's 5 sigma is about 130
      assertThat(n).as(m).isBetween(850L, 1_150L);
    }
  }

  @Test
  void owner_memberLeaves_onlyItsKeysMove() {
    Map<String, String> before = owners(List.of("meshcast-0", "meshcast-1", "meshcast-2"));
    Map<String, String> after = owners(List.of("meshcast-0", "meshcast-2"));
    for (String k : KEYS) {
      if (!before.get(k).equals("meshcast-1")) {
        assertThat(after.get(k)).as(k).isEqualTo(before.get(k));
      }
    }
    long toZero = KEYS.stream().filter(k -> before.get(k).equals("meshcast-1"))
        .filter(k -> after.get(k).equals("meshcast-0")).count();
    long moved = KEYS.stream().filter(k -> before.get(k).equals("meshcast-1")).count();
    assertThat(toZero).as("the leaver's keys split between the others")
        .isBetween(moved / 3, moved * 2 / 3);
  }

  @Test
  void owner_orderOfMembersDoesNotMatter_andNoMembersOwnNothing() {
    assertThat(owners(List.of("b", "a", "c"))).isEqualTo(owners(List.of("c", "b", "a")));
    assertThat(Rendezvous.owner("x", List.of())).isEmpty();
  }
}
