package io.meshcast.loadtest.replay;

import io.meshcast.loadtest.hpa.HpaSpec;
import io.meshcast.loadtest.hpa.MetricReading;
import java.util.OptionalDouble;

/*
 * meshcast predictive: the simulated adapter observes the service's request rate exactly as
 * Prometheus would (sum over pods of rate(envoy_http_downstream_rq_total[1m]), scraped every
 * 15 s, re-queried every refresh), feeds the forecaster one point per minute (the rate as of the
 * first refresh after each minute boundary, as a range query with a 1 m step would return it),
 * and serves to the HPA an External metric with an AverageValue target equal to the reactive
 * policy's per-pod target:
 *
 *   h       = ceil((now + lead − t_last) / 60)     minutes after the last fed point, so the
 *                                                  forecast covers now + lead (lead = start-up +
 *                                                  one sync period + one scrape interval)
 *   served  = max(forecast_h, observed_now)        safety rule 1: never below what is observed
 *   served  = observed_now                         safety rule 2: when the forecaster declines
 *                                                  (warm-up, or its own trust test fails)
 *
 * so the HPA asks for ceil(served / target) pods. The forecast is a per-service quantity — pods
 * come and go, so a per-pod forecast would be meaningless — which is why this is an External
 * (not a Pods) metric; the HPA arithmetic for a Pods metric on the same total gives the same
 * replica count.
 */
final class PredictivePolicy implements AutoscalingPolicy {

  private final RateForecast forecast;
  private final long leadSeconds;
  private long lastFedMinute = Long.MIN_VALUE;
  private long lastFedTime;
  private double served = Double.NaN;
  private long trustedRefreshes;
  private long refreshes;

  private final long originEpochSeconds;

  PredictivePolicy(RateForecast forecast, long leadSeconds, long originEpochSeconds) {
    this.forecast = forecast;
    this.leadSeconds = leadSeconds;
    this.originEpochSeconds = originEpochSeconds;
  }

  @Override
  public String name() {
    return "meshcast-predictive";
  }

  @Override
  public HpaSpec.Metric metric(double targetRpsPerPod) {
    return HpaSpec.Metric.external("meshcast_forecast_rps", HpaSpec.TargetType.AVERAGE_VALUE,
        targetRpsPerPod);
  }

  @Override
  public void onRefresh(Cluster.Snapshot snapshot) {
    if (snapshot.ratesByPod().isEmpty()) {
      served = Double.NaN; // nothing observed: the metric is unavailable, as in the adapter
      return;
    }
    final double observed = snapshot.totalRate();
    final long minute = snapshot.time() / 60;
    if (minute != lastFedMinute) {
      forecast.observe((originEpochSeconds + snapshot.time()) * 1000, observed);
      lastFedMinute = minute;
      lastFedTime = snapshot.time();
    }
    final int h = (int) Math.max(1, Math.ceil((snapshot.time() + leadSeconds - lastFedTime) / 60.0));
    final OptionalDouble f = forecast.forecast(h);
    refreshes++;
    if (f.isPresent() && Double.isFinite(f.getAsDouble())) {
      trustedRefreshes++;
      served = Math.max(f.getAsDouble(), observed);
    } else {
      served = observed;
    }
  }

  @Override
  public MetricReading reading(long now, Cluster.Snapshot latest) {
    if (Double.isNaN(served)) {
      return MetricReading.failed("no metrics returned from external metrics API");
    }
    return MetricReading.external(HpaSpec.milli(served));
  }

  /** The largest h the policy asks for: the lead plus the (< 1 min) age of the last fed point. */
  static int maxLeadSteps(long leadSeconds) {
    return (int) Math.max(1, Math.ceil((leadSeconds + 59) / 60.0));
  }

  String describe() {
    return String.format(java.util.Locale.ROOT, "forecast served at %.1f %% of refreshes%s",
        100 * trustedShare(), forecast instanceof MeshcastRateForecast m ? "; " + m.describe() : "");
  }

  /** Fraction of refreshes at which the forecast (not the fallback) was served. */
  double trustedShare() {
    return refreshes == 0 ? 0 : (double) trustedRefreshes / refreshes;
  }
}
