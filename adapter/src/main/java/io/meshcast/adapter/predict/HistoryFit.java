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

/**
 * Fits models from Prometheus history: one range query per modelled definition, then one fit task
 * per wanted series on the worker pool (so the pool's threads fit in parallel). Used by the
 * bootstrap at start and by a shard take-over.
 */
final class HistoryFit {

  private HistoryFit() {}

  /**
   * @param wanted which series ids to fit
   * @param fitting told how many fit tasks were started, once the history has arrived
   * @return how many series were fitted
   */
  static Future<Long> run(PipelineView view, ForecastPath path, ForecastTasks tasks,
      Predicate<String> wanted, IntConsumer fitting) {
    return view.bootstrapHistory(path::modelled)
        .compose(history -> {
          List<Future<Boolean>> fits = new ArrayList<>();
          Map<String, MetricDefinition> defs = new HashMap<>();
          for (MetricDefinition d : view.definitions()) {
            defs.put(d.key(), d);
          }
          for (Map.Entry<String, List<SeriesHistory>> e : history.entrySet()) {
            MetricDefinition d = defs.get(e.getKey());
            if (d == null || !path.modelled(d)) {
              continue;
            }
            for (SeriesHistory sh : e.getValue()) {
              if (wanted.test(ModelRegistry.id(d, sh.identity()))) {
                fits.add(tasks.submit(() -> path.load(d, sh), false));
              }
            }
          }
          fitting.accept(fits.size());
          return Future.join(fits).map(v -> fits.stream().filter(Future::succeeded)
              .filter(Future::result).count());
        });
  }
}
