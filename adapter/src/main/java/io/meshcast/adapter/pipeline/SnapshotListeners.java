package io.meshcast.adapter.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who is told about each published {@link Snapshot}. A pipeline owns one instance for its whole
 * life and hands it to every {@link Refresher} it creates (a config reload replaces the
 * refresher, not the listeners), so the forecast path is fed by the refresh itself rather than by
 * polling.
 *
 * <p>Listeners run on the thread that published (a Vert.x event-loop thread for the refresher):
 * they must return quickly and hand real work to their own executor. A listener that throws is
 * logged and does not stop the others. Thread-safe.
 */
public final class SnapshotListeners {

  private static final Logger LOG = Logger.getLogger(SnapshotListeners.class.getName());

  private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener called with every snapshot published from now on. */
  public void add(Consumer<Snapshot> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /** Calls every listener with {@code snapshot}. */
  public void publish(Snapshot snapshot) {
    for (Consumer<Snapshot> l : listeners) {
      try {
        l.accept(snapshot);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "event=snapshot-listener-failed error=\"" + e + "\"", e);
      }
    }
  }
}
