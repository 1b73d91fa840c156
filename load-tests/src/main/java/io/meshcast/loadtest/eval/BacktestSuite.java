package io.meshcast.loadtest.eval;

import io.meshcast.forecast.BacktestResult;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.RegularSeries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The spec's forecasting protocol over the shared series: rolling origin over the test part,
 * baselines tuned on the training part, meshcast refitting from past data only. Horizons: 1, 5,
 * 15, 30 minutes for the 1-minute trace; the natural steps (5, 15, 30 min) for 5-minute series;
 * 30 and 60 min for the 30-minute series.
 */
final class BacktestSuite {
  /** One series of the protocol: file, training length in points, horizons in steps. */
  record Spec(String label, String file, int trainPoints, int[] horizons) {}

  static final List<Spec> FULL = List.of(
      new Spec("nasa_http (1 min)", "traces/nasa_http_jul1995_per_min.csv", 20_160,
          new int[] {1, 5, 15, 30}),
      new Spec("elb_request_count (5 min)", "nab/realAWSCloudwatch/elb_request_count_8c0756.csv",
          2_016, new int[] {1, 3, 6}),
      new Spec("Twitter_volume_AAPL (5 min)", "nab/realTweets/Twitter_volume_AAPL.csv", 8_064,
          new int[] {1, 3, 6}),
      new Spec("nyc_taxi (30 min)", "nab/realKnownCause/nyc_taxi.csv", 5_760, new int[] {1, 2}));

  private BacktestSuite() {}

  /** A quick variant: the first two days of the NASA trace, one day of training. */
  static Spec quick() {
    return new Spec("nasa_http 2-day slice (1 min)", "traces/nasa_http_jul1995_per_min.csv",
        1_440, new int[] {1, 5, 15, 30});
  }

  static BacktestResult run(Path data, Spec spec, int limitPoints) throws IOException {
    RegularSeries s = GridSeries.load(data.resolve(spec.file()));
    if (limitPoints > 0 && s.size() > limitPoints) {
      s = s.slice(0, limitPoints);
    }
    return Forecasters.backtest(s, spec.trainPoints(), spec.horizons());
  }

  static String markdown(Spec spec, BacktestResult r, long stepMinutes) {
    final StringBuilder b = new StringBuilder();
    b.append("#### ").append(spec.label()).append(" — train ").append(spec.trainPoints())
        .append(" points; final model `").append(r.finalModel()).append("`\n\n");
    b.append("| method | h (steps) | h (min) | n | MASE | sMAPE % | MAE / naive | cover 80 % |"
        + " cover 95 % |\n|---|---|---|---|---|---|---|---|---|\n");
    for (BacktestResult.Row row : r.rows()) {
      b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.3f | %.1f | %.3f | %s | %s |%n",
          row.method().equals("meshcast") ? "**meshcast**" : row.method(), row.horizon(),
          row.horizon() * stepMinutes, row.n(), row.mase(), row.smape(), row.maeRelNaive(),
          pct(row.coverage80()), pct(row.coverage95())));
    }
    b.append(String.format(Locale.ROOT, "%nmeshcast: %d refits, %.1f s refitting, %.3f s in"
        + " updates (streaming the whole series).%n%n", r.refits(), r.refitSeconds(),
        r.updateSeconds()));
    return b.toString();
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }
}
