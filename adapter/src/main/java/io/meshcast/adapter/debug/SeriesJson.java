package io.meshcast.adapter.debug;

import static io.meshcast.adapter.debug.DebugRoutes.level;
import static io.meshcast.adapter.debug.DebugRoutes.num;

import io.meshcast.adapter.http.StatusException;
import io.meshcast.adapter.pipeline.History;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.pipeline.WindowCoverage;
import io.meshcast.adapter.predict.DemandPropagation;
import io.meshcast.adapter.predict.DerivedNames;
import io.meshcast.adapter.predict.PredictiveLayer;
import io.meshcast.adapter.predict.SeriesReport;
import io.meshcast.forecast.ForecastPoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of {@code /debug/metrics} (every modelled series: observed, served and the rule that
 * decided it, with its explanation) and {@code /debug/metrics/{id}} (one series with history,
 * forecast path and anomaly scores). Built from memory on a worker thread by {@link DebugRoutes}.
 */
final class SeriesJson {

  private final PredictiveLayer layer;
  private final Clock clock;

  SeriesJson(PredictiveLayer layer, Clock clock) {
    this.layer = layer;
    this.clock = clock;
  }

  JsonObject overview() {
    Instant now = clock.instant();
    Snapshot base = layer.pipeline().snapshot();
    JsonObject out = new JsonObject()
        .put("generatedAt", now.toString())
        .put("leadSteps", layer.leadSteps())
        .put("stepSeconds", layer.step().toMillis() / 1000.0)
        .put("leadSeconds", layer.leadSteps() * layer.step().toMillis() / 1000.0)
        .put("safety", layer.config().safety().name())
        .put("servedQuantile", num(layer.config().servedQuantile()))
        .put("bootstrap", new JsonObject().put("state", layer.bootstrapState().name())
            .put("detail", layer.bootstrapDetail()))
        .put("lastRefresh", base.publishedAt().toString())
        .put("snapshotAgeSeconds", Duration.between(base.publishedAt(), now).toMillis() / 1000.0)
        .put("lastProcessed", layer.lastProcessed().toString())
        .put("lastError", layer.lastError().orElse(null))
        .put("derivedMetrics", new JsonArray(layer.derivedNames().stream().sorted().toList()));
    JsonArray results = new JsonArray();
    for (MetricResult r : base.results().values()) {
      results.add(new JsonObject()
          .put("metric", r.definition().name())
          .put("level", level(r.definition().level()))
          .put("query", r.definition().promql())
          .put("series", r.series().size())
          .put("partialWindows", count(r, WindowCoverage.State.PARTIAL))
          .put("insufficientWindows", count(r, WindowCoverage.State.INSUFFICIENT))
          .put("lastRefresh", r.refreshedAt().map(Instant::toString).orElse(null))
          .put("dataAgeSeconds", r.refreshedAt()
              .map(t -> Duration.between(t, now).toMillis() / 1000.0).orElse(null))
          .put("lastError", r.lastError().orElse(null)));
    }
    out.put("queries", results);
    JsonArray series = new JsonArray();
    layer.reports().values().stream()
        .sorted(Comparator.comparing(SeriesReport::level).thenComparing(SeriesReport::id))
        .forEach(r -> series.add(summary(r, base, now)));
    out.put("series", series);
    return out;
  }

  private static long count(MetricResult r, WindowCoverage.State state) {
    return r.series().stream().filter(v -> v.coverage().state() == state).count();
  }

  /** The rate window's coverage of the series' latest value ({@code state: full} if not measured). */
  private static JsonObject window(Optional<MetricResult> res, SeriesReport r) {
    WindowCoverage c = res.flatMap(x -> x.series().stream()
            .filter(v -> v.identity().labels().equals(r.labels())).findFirst())
        .map(SeriesValue::coverage).orElse(WindowCoverage.FULL);
    return new JsonObject()
        .put("state", c.state().name().toLowerCase(java.util.Locale.ROOT))
        .put("coverage", num(c.fraction()))
        .put("samples", c.samples() < 0 ? null : c.samples())
        .put("observations", c.observations() < 0 ? null : num(c.observations()));
  }

  private JsonObject summary(SeriesReport r, Snapshot base, Instant now) {
    Optional<MetricResult> res = base.result(r.signal(), r.level());
    DisplayUnit unit = DisplayUnit.of(r.signal());
    return new JsonObject()
        .put("window", window(res, r))
        .put("id", r.id())
        .put("signal", r.signal())
        .put("level", level(r.level()))
        .put("namespace", r.namespace())
        .put("object", r.object())
        .put("kumaService", r.kumaService())
        .put("observed", num(r.observed()))
        .put("observedAt", r.observedAt().toString())
        .put("forecast", num(r.forecast()))
        .put("served", num(layer.servedValue(r)))
        .put("servedOwn", num(r.served()))
        .put("servedBy", servedBy(r))
        .put("upstreamDemand", upstream(layer.upstream().get(r.id())))
        .put("rule", new JsonObject().put("name", servedBy(r))
            .put("explanation", explanation(r)))
        .put("lower80", num(r.lower80()))
        .put("upper80", num(r.upper80()))
        .put("anomalyScore", num(r.anomalyScore()))
        .put("severity", r.severity().name().toLowerCase(java.util.Locale.ROOT))
        .put("unit", new JsonObject().put("label", unit.label()).put("scale", unit.scale()))
        .put("model", r.model())
        .put("modelDescription", ModelDescription.describe(r.model(), layer.step()))
        .put("relativeError", num(r.relativeError()))
        .put("trustworthy", r.trustworthy())
        .put("fallback", r.fallback().orElse(null))
        .put("fallbackReason", r.fallbackReason().map(x -> x.label()).orElse(null))
        .put("historySize", r.historySize())
        .put("refits", r.refits())
        .put("dataAgeSeconds", Duration.between(r.observedAt(), now).toMillis() / 1000.0)
        .put("lastRefresh", res.flatMap(MetricResult::refreshedAt).map(Instant::toString)
            .orElse(null))
        .put("lastError", res.flatMap(MetricResult::lastError).orElse(null));
  }

  /** The own decision's rule, or {@code upstream_demand} when the callers' demand raised it. */
  private String servedBy(SeriesReport r) {
    return layer.servedValue(r) > r.served() ? "upstream_demand" : r.rule().label();
  }

  /** Why the served value is what it is; the callers' demand, when it raised it, says so first. */
  private String explanation(SeriesReport r) {
    String own = RuleExplanation.explain(r, layer.config(),
        layer.step().multipliedBy(layer.leadSteps()));
    double served = layer.servedValue(r);
    if (!(served > r.served())) {
      return own;
    }
    DisplayUnit unit = DisplayUnit.of(r.signal());
    return "the callers' demand forecast times their call ratios raises the served value to "
        + unit.format(served) + " (own model: " + unit.format(r.served()) + ", where " + own + ")";
  }

  /** How much of a series' demand comes from its callers (null: not propagated). */
  private static JsonObject upstream(DemandPropagation.Upstream u) {
    if (u == null) {
      return null;
    }
    return new JsonObject()
        .put("total", num(u.total()))
        .put("upstream", num(u.upstream()))
        .put("ingress", num(u.ingress()))
        .put("ingressShare", num(u.ingressShare()))
        .put("detail", u.detail());
  }

  JsonObject detail(String id) {
    SeriesReport r = layer.reports().get(id);
    if (r == null) {
      throw StatusException.notFound("no modelled series " + id + " (see /debug/metrics)");
    }
    Instant now = clock.instant();
    Snapshot base = layer.pipeline().snapshot();
    JsonObject out = summary(r, base, now);
    out.put("labels", new JsonObject(Map.copyOf(r.labels())));
    out.put("history", history(find(base, r.signal(), r)));
    Snapshot derived = layer.derivedSnapshot();
    out.put("anomalyScores", history(find(derived, r.signal() + DerivedNames.ANOMALY, r)));
    out.put("servedForecasts", history(find(derived, r.signal() + DerivedNames.FORECAST, r)));
    JsonArray path = new JsonArray();
    if (r.path() != null) {
      for (ForecastPoint p : r.path().points()) {
        path.add(new JsonObject()
            .put("t", p.targetEpochMillis())
            .put("mean", num(p.mean()))
            .put("lower80", num(p.lower80()))
            .put("upper80", num(p.upper80()))
            .put("lower95", num(p.lower95()))
            .put("upper95", num(p.upper95())));
      }
    }
    out.put("forecastPath", path);
    return out;
  }

  private static Optional<History> find(Snapshot s, String metric, SeriesReport r) {
    return s.result(metric, r.level()).flatMap(res -> res.series().stream()
        .filter(v -> v.identity().labels().equals(r.labels()))
        .map(SeriesValue::history)
        .findFirst());
  }

  private static JsonObject history(Optional<History> h) {
    JsonArray t = new JsonArray();
    JsonArray v = new JsonArray();
    h.ifPresent(x -> {
      for (int i = 0; i < x.size(); i++) {
        t.add(x.timestampMillis(i));
        v.add(num(x.value(i)));
      }
    });
    return new JsonObject().put("t", t).put("v", v);
  }
}
