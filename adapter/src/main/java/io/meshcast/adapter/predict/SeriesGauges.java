package io.meshcast.adapter.predict;

import io.meshcast.adapter.pipeline.Level;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per-series values on {@code /metrics}, so dashboards can show observed vs forecast vs served
 * with the 80 % band and the anomaly score next to the mesh's own metrics:
 * {@code meshcast_forecast_series_value{namespace, object, signal, level, value}} with {@code value} one of
 * {@code observed}, {@code forecast}, {@code served}, {@code lower80}, {@code upper80},
 * {@code anomaly_score}. Pod-level series are left out to bound the cardinality (six series per
 * Service-level signal); NaN values are left out. Read at scrape time from the latest reports.
 */
public final class SeriesGauges {

  private SeriesGauges() {}

  public static void register(PrometheusRegistry registry,
      Supplier<Map<String, SeriesReport>> reports) {
    GaugeWithCallback.builder()
        .name("meshcast_forecast_series_value")
        .help("Latest observed, forecast, served, 80% band and anomaly score per modelled"
            + " series (pod-level series excluded)")
        .labelNames("namespace", "object", "signal", "level", "value")
        .callback(cb -> {
          for (SeriesReport r : reports.get().values()) {
            if (r.level() == Level.POD) {
              continue;
            }
            String level = r.level().label();
            emit(cb, r, level, "observed", r.observed());
            emit(cb, r, level, "forecast", r.forecast());
            emit(cb, r, level, "served", r.served());
            emit(cb, r, level, "lower80", r.lower80());
            emit(cb, r, level, "upper80", r.upper80());
            emit(cb, r, level, "anomaly_score", r.anomalyScore());
          }
        })
        .register(registry);
  }

  private static void emit(GaugeWithCallback.Callback cb, SeriesReport r, String level,
      String kind, double v) {
    if (!Double.isNaN(v)) {
      cb.call(v, r.namespace(), r.object(), r.signal(), level, kind);
    }
  }
}
