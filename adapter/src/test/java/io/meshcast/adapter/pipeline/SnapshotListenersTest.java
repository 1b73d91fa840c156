package io.meshcast.adapter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class SnapshotListenersTest {

  @Test
  void everyListenerIsCalled_evenAfterOneThrows() {
    SnapshotListeners listeners = new SnapshotListeners();
    List<Snapshot> seen = new ArrayList<>();
    listeners.add(s -> {
      throw new IllegalStateException("boom");
    });
    listeners.add(seen::add);
    Snapshot s = Snapshot.empty(Instant.EPOCH);
    listeners.publish(s);
    assertThat(seen).containsExactly(s);
  }
}
