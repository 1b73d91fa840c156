package io.meshcast.adapter.graph;

import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.predict.SeriesReport;
import io.meshcast.adapter.predict.ServingDecision;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Minimal service-level kuma_demand_rps reports for the graph's tests (one place to adapt). */
final class ReportFixture {

  private ReportFixture() {}

  static SeriesReport rps(String id, double observed, double served) {
    String[] p = id.split("/");
    return new SeriesReport(id, "kuma_demand_rps", Level.SERVICE, p[0], p[1], p[1], Map.of(), observed,
        Instant.EPOCH, served, Double.NaN, Double.NaN, served, 0,
        io.meshcast.forecast.Severity.NONE, "m", Double.NaN, true, Optional.empty(), 0, 0, null,
        ServingDecision.Rule.FORECAST, Optional.empty());
  }
}
