package io.meshcast.adapter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class AnswerGenerationTest {

  @Test
  void generations_compareTheirParts_byIdentity_notByEquals() {
    List<String> a = List.of("x");
    List<String> sameContents = List.of("x");
    Object state = new Object();
    assertThat(AnswerGeneration.of(a, state)).isEqualTo(AnswerGeneration.of(a, state));
    assertThat(AnswerGeneration.of(a, state)).isNotEqualTo(AnswerGeneration.of(sameContents,
        state));
    assertThat(AnswerGeneration.of(AnswerGeneration.of(a), state))
        .isEqualTo(AnswerGeneration.of(AnswerGeneration.of(a), state));
    assertThat(AnswerGeneration.of(a, null)).isNull();
  }

  @Test
  void theWeakForm_equalsTheStrongOne_andDoesNotKeepItsPartsAlive() throws Exception {
    Object kept = new Object();
    Object snapshot = new byte[1 << 20];
    AnswerGeneration strong = AnswerGeneration.of(kept, AnswerGeneration.of(snapshot));
    AnswerGeneration weak = strong.weakly();
    assertThat(weak).isEqualTo(strong);
    assertThat(strong).isEqualTo(weak);
    java.lang.ref.WeakReference<Object> probe = new java.lang.ref.WeakReference<>(snapshot);
    snapshot = null;
    strong = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (probe.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(probe.get()).as("held only by the weak generation").isNull();
    // A collected part equals nothing: it cannot be the current generation's.
    assertThat(weak.weakly()).isNotEqualTo(weak);
    assertThat(weak.equals(AnswerGeneration.of(kept, AnswerGeneration.of(new Object()))))
        .isFalse();
  }
}
