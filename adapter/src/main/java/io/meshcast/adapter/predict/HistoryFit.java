package io.meshcast.adapter.predict;

import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fits models from Prometheus history: one range query per modelled definition, then fit tasks of
 * up to {@value #BATCH} series each on the worker pool (so the pool's threads fit in parallel).
 * Used by the bootstrap at start and by a shard take-over.
 *
 * <p>Nothing per series runs on the event loop: choosing the wanted series is one worker task,
 * and fits are submitted in batches. One task and one future per series (5,558 at 100k observed
 * series) was a measured 39 ms event-loop stall at 10k series (issue 14).
 */
final class HistoryFit {

  private static final Logger LOG = Logger.getLogger(HistoryFit.class.getName());
  /** series per fit task: few enough futures, small enough to spread over the pool */
  static final int BATCH = 32;

  private HistoryFit() {}

  private record Job(MetricDefinition d, SeriesHistory history) {}

  /**
   * @param wanted which series ids to fit
   * @param fitting told how many series will be fitted, once the history has arrived
   * @return how many series were fitted
   */
  static Future<Long> run(PipelineView view, ForecastPath path, ForecastTasks tasks,
      Predicate<String> wanted, IntConsumer fitting) {
    return view.bootstrapHistory(path::modelled)
        .compose(history -> tasks.submit(() -> jobs(view, path, wanted, history), false))
        .compose(jobs -> {
          fitting.accept(jobs.size());
          List<Future<Long>> fits = new ArrayList<>();
          for (int from = 0; from < jobs.size(); from += BATCH) {
            List<Job> batch = jobs.subList(from, Math.min(jobs.size(), from + BATCH));
            fits.add(tasks.submit(() -> fit(tasks, path, batch), false));
          }
          return Future.join(fits).map(v -> fits.stream().filter(Future::succeeded)
              .mapToLong(Future::result).sum());
        });
  }

  private static List<Job> jobs(PipelineView view, ForecastPath path, Predicate<String> wanted,
      Map<String, List<SeriesHistory>> history) {
    Map<String, MetricDefinition> defs = new HashMap<>();
    for (MetricDefinition d : view.definitions()) {
      defs.put(d.key(), d);
    }
    List<Job> out = new ArrayList<>();
    for (Map.Entry<String, List<SeriesHistory>> e : history.entrySet()) {
      MetricDefinition d = defs.get(e.getKey());
      if (d == null || !path.modelled(d)) {
        continue;
      }
      for (SeriesHistory sh : e.getValue()) {
        if (wanted.test(ModelRegistry.id(d, sh.identity()))) {
          out.add(new Job(d, sh));
        }
      }
    }
    return out;
  }

  /**
   * Fits a batch; a series that fails is logged and not counted, the others still fit. Stops at
   * the next series once forecasting is closing (a shutdown does not wait for the whole batch).
   */
  private static long fit(ForecastTasks tasks, ForecastPath path, List<Job> batch) {
    long n = 0;
    for (Job j : batch) {
      if (tasks.closing()) {
        break;
      }
      try {
        n += path.load(j.d(), j.history()) ? 1 : 0;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "event=history_fit_failed series="
            + ModelRegistry.id(j.d(), j.history().identity()) + " error=\"" + e + "\"");
      }
    }
    return n;
  }
}
