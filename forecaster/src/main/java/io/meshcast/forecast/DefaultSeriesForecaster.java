package io.meshcast.forecast;

import io.meshcast.forecast.internal.fit.ModelSelection;
import io.meshcast.forecast.internal.fit.ResidualQuantiles;
import io.meshcast.forecast.internal.series.DoubleRingBuffer;
import io.meshcast.forecast.internal.smoothing.Model;
import io.meshcast.forecast.internal.smoothing.ModelCodec;
import io.meshcast.forecast.internal.smoothing.Naive;
import io.meshcast.forecast.internal.smoothing.Transform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link SeriesForecaster}: a bounded history, the current fitted model (swapped atomically
 * under {@link #lock} by refits), streaming error tracking and the anomaly scorer. See the
 * interface for the thread-safety contract.
 */
final class DefaultSeriesForecaster implements SeriesForecaster {
  private final ForecasterConfig config;
  private final long stepMillis;
  private final int errorHorizon;
  private final double errorRate;
  private final Object lock = new Object();
  private final Object refitLock = new Object();
  /**
   * guarded by refitLock: what the last selection leaves for the next (warm-started parameters,
   * shortlist), so a steady-state refit costs a fraction of the first one
   */
  private ModelSelection.Memory selectionMemory;

  // ---- guarded by lock ----
  private final DoubleRingBuffer history;
  /** forecasts made for errorHorizon steps ahead, indexed by origin mod errorHorizon */
  private final double[] pastForecasts;
  private final AnomalyStream anomaly;
  private long anchorMillis;
  /** grid index of the last accepted point; -1 before the first */
  private long lastIndex = -1;
  private long pointsSeen;
  private long seenAtLastRefit;
  private long refits;
  private Model model = new Naive();
  private String modelName = "naive";
  private ResidualQuantiles quantiles;
  private Transform intervalTransform = Transform.IDENTITY;
  private boolean nonNegative = true;
  private double modelAbsError = Double.NaN;
  private double naiveAbsError = Double.NaN;

  DefaultSeriesForecaster(ForecasterConfig config) {
    this.config = config;
    this.stepMillis = config.stepMillis();
    this.errorHorizon = config.maxHorizonSteps();
    this.errorRate = 1.0 / config.errorMemoryPoints();
    this.history = new DoubleRingBuffer(config.historyCapacity());
    this.pastForecasts = new double[errorHorizon];
    java.util.Arrays.fill(pastForecasts, Double.NaN);
    this.anomaly = new AnomalyStream(config);
  }

  @Override
  public ForecasterConfig config() {
    return config;
  }

  /** Bulk-loads history without scoring (bootstrap). */
  void load(long startMillis, double[] values) {
    synchronized (lock) {
      if (lastIndex >= 0) {
        throw new IllegalStateException("history can only be loaded into an empty forecaster");
      }
      anchorMillis = startMillis;
      for (int i = 0; i < values.length; i++) {
        if (Double.isInfinite(values[i])) {
          throw new IllegalArgumentException("history value at index " + i + " is infinite");
        }
        observe(values[i], false);
      }
      lastIndex = values.length - 1;
    }
  }

  @Override
  public AnomalyScore update(long epochMillis, double value) {
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException("value at " + epochMillis + " is infinite");
    }
    synchronized (lock) {
      if (lastIndex < 0) {
        anchorMillis = epochMillis;
        lastIndex = -1;
      }
      final long index = Math.floorDiv(epochMillis - anchorMillis + stepMillis / 2, stepMillis);
      if (index <= lastIndex) {
        throw new IllegalArgumentException("timestamp " + epochMillis
            + " is not after the last accepted one (" + (anchorMillis + lastIndex * stepMillis)
            + ") on the " + stepMillis + " ms grid");
      }
      final long skipped = index - lastIndex - 1;
      if (skipped > 0 && lastIndex >= 0) {
        if (config.gapPolicy() == GapPolicy.REJECT) {
          throw new IllegalArgumentException("timestamp " + epochMillis + " skips " + skipped
              + " step(s) after " + (anchorMillis + lastIndex * stepMillis)
              + " and the gap policy is REJECT");
        }
        // Missing points keep seasonal phases aligned. Beyond ten histories' worth the state is
        // meaningless anyway; only then is the gap shortened (phases may then be misaligned
        // until the next refit re-detects and re-initialises them).
        final long fill = Math.min(skipped, 10L * history.capacity());
        for (long i = 0; i < fill; i++) {
          observe(Double.NaN, false);
        }
      }
      lastIndex = index;
      return observe(value, true);
    }
  }

  /** One grid step; caller holds the lock. */
  private AnomalyScore observe(double y, boolean score) {
    final double expected = clamp(model.forecast(1));
    AnomalyScore result = null;
    if (!Double.isNaN(y)) {
      final double regimeShift = anomaly.observe(y);
      if (score && quantiles != null && !Double.isNaN(expected)) {
        result = anomaly.score(y, expected,
            intervalTransform.apply(y) - intervalTransform.apply(expected), regimeShift);
      }
      // Recent error at errorHorizon, model vs naive, for the trust flag.
      final int slot = (int) (pointsSeen % errorHorizon);
      final double made = pastForecasts[slot];
      final double naive = history.fromEnd(errorHorizon - 1);
      if (!Double.isNaN(made) && !Double.isNaN(naive)) {
        modelAbsError = ewma(modelAbsError, Math.abs(y - made));
        naiveAbsError = ewma(naiveAbsError, Math.abs(y - naive));
      }
      nonNegative &= y >= 0;
    }
    model.update(y);
    history.add(y);
    pastForecasts[(int) (pointsSeen % errorHorizon)] = clamp(model.forecast(errorHorizon));
    pointsSeen++;
    return result != null ? result : AnomalyScore.missing(expected);
  }

  private double ewma(double current, double x) {
    return Double.isNaN(current) ? x : current + errorRate * (x - current);
  }

  private double clamp(double v) {
    return nonNegative && v < 0 ? 0 : v;
  }

  @Override
  public boolean refitDue() {
    synchronized (lock) {
      final int size = history.size();
      if (size < config.minFitPoints()) {
        return false;
      }
      final long since = pointsSeen - seenAtLastRefit;
      if (refits == 0 || since >= config.refitEverySteps()) {
        return true;
      }
      // While history is short, refit after every doubling so the model settles quickly.
      return seenAtLastRefit < config.refitEverySteps() && pointsSeen >= 2 * seenAtLastRefit;
    }
  }

  @Override
  public FitReport refit() {
    synchronized (refitLock) {
      final double[] snapshot;
      final long seenAtSnapshot;
      synchronized (lock) {
        snapshot = history.toArray();
        seenAtSnapshot = pointsSeen;
      }
      if (snapshot.length < config.minFitPoints()) {
        return new FitReport(modelName(), List.of(), List.of(), snapshot.length, 0, 0);
      }
      final ModelSelection.Selection sel = ModelSelection.select(snapshot,
          ModelSelection.Settings.of(config.maxHorizonSteps(), stepMillis), selectionMemory);
      selectionMemory = sel.memory();
      synchronized (lock) {
        final Model fitted = sel.predictor();
        // Replay what arrived while we were fitting, so no update is lost.
        final long arrived = Math.min(pointsSeen - seenAtSnapshot, history.size());
        for (long back = arrived - 1; back >= 0; back--) {
          fitted.update(history.fromEnd((int) back));
        }
        if (sel.quantiles() != null && sel.oneStepResiduals().length > 0 // else: same model
            && (anomaly.scored() == 0 || (seenAtLastRefit < config.refitEverySteps()
                && AnomalyStream.enoughToRestart(sel.oneStepResiduals().length)))) {
          // Raw scores are relative to the model. While history is short each refit replaces a
          // much weaker model, so the scorer restarts from the new model's out-of-sample
          // residuals instead of keeping the old model's transients as its reference — but only
          // from enough of them: a scorer primed with too few scores nothing for its next points
          // and then has already absorbed a jump that fell into them (seen: a 10x latency spike
          // scored 0.68 when it arrived 3 points after the refit at 90 points, 27 residuals).
          anomaly.restartFrom(sel.oneStepResiduals());
        }
        model = fitted;
        modelName = sel.modelName();
        quantiles = sel.quantiles();
        intervalTransform = sel.intervalTransform();
        seenAtLastRefit = pointsSeen;
        refits++;
      }
      final List<FitReport.Candidate> candidates = new ArrayList<>();
      for (ModelSelection.Scored c : sel.candidates()) {
        candidates.add(new FitReport.Candidate(c.name(), c.relativeMae(), c.parameters()));
      }
      return new FitReport(sel.modelName(), candidates, sel.seasonalPeriods(), snapshot.length,
          sel.validationPoints(), sel.durationNanos());
    }
  }

  private String modelName() {
    synchronized (lock) {
      return modelName;
    }
  }

  @Override
  public Forecast forecast(int horizonSteps) {
    if (horizonSteps < 1) {
      throw new IllegalArgumentException("horizonSteps must be >= 1, was " + horizonSteps);
    }
    synchronized (lock) {
      requireData();
      final long origin = anchorMillis + lastIndex * stepMillis;
      final List<ForecastPoint> points = new ArrayList<>(horizonSteps);
      for (int h = 1; h <= horizonSteps; h++) {
        final double mean = clamp(model.forecast(h));
        points.add(new ForecastPoint(h, origin + h * stepMillis, mean,
            bound(mean, h, 0.10), bound(mean, h, 0.90),
            bound(mean, h, 0.025), bound(mean, h, 0.975)));
      }
      return new Forecast(origin, stepMillis, modelName, points);
    }
  }

  /** The p-quantile of the forecast distribution at h; NaN without calibration. */
  private double bound(double mean, int h, double p) {
    if (quantiles == null || Double.isNaN(mean)) {
      return Double.NaN;
    }
    return clamp(intervalTransform.inverse(
        intervalTransform.apply(mean) + quantiles.quantile(h, p)));
  }

  @Override
  public double maxOverLead(int leadSteps) {
    return maxOverLead(leadSteps, Double.NaN);
  }

  @Override
  public double maxOverLead(int leadSteps, double quantile) {
    if (leadSteps < 0) {
      throw new IllegalArgumentException("leadSteps must be >= 0, was " + leadSteps);
    }
    if (!Double.isNaN(quantile) && !(quantile >= 0.01 && quantile <= 0.99)) {
      throw new IllegalArgumentException("quantile must be in [0.01, 0.99], was " + quantile);
    }
    synchronized (lock) {
      requireData();
      double max = history.fromEnd(0);
      for (int h = 1; h <= leadSteps; h++) {
        final double mean = clamp(model.forecast(h));
        final double v = Double.isNaN(quantile) || quantiles == null ? mean
            : bound(mean, h, quantile);
        if (Double.isNaN(max) || v > max) {
          max = v;
        }
      }
      return max;
    }
  }

  @Override
  public ModelStatus status() {
    synchronized (lock) {
      final double rel = naiveAbsError > 0 ? modelAbsError / naiveAbsError
          : (modelAbsError == 0 ? 1 : Double.NaN);
      final boolean trustworthy = refits > 0 && quantiles != null
          && history.size() >= config.minFitPoints() && !(rel > 1);
      return new ModelStatus(modelName, rel, errorHorizon, trustworthy, pointsSeen,
          history.size(), refits);
    }
  }

  private void requireData() {
    if (lastIndex < 0) {
      throw new IllegalStateException("no observation yet: nothing to forecast from");
    }
  }

  /** format of {@link #exportFit}: bump when the layout changes */
  private static final byte FIT_FORMAT = 1;

  /** The model, calibration and position after the last point; null before the first refit. */
  byte[] exportFit() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      synchronized (lock) {
        if (refits == 0 || lastIndex < 0) {
          return null;
        }
        out.writeByte(FIT_FORMAT);
        out.writeLong(stepMillis);
        out.writeLong(anchorMillis + lastIndex * stepMillis);
        out.writeUTF(modelName);
        out.writeByte(intervalTransform.ordinal());
        out.writeBoolean(quantiles != null);
        if (quantiles != null) {
          quantiles.write(out);
        }
        model.write(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** See {@link FitTransfer#adopt}. */
  FitTransfer.Adoption adoptFit(byte[] fit) throws IOException {
    final DataInputStream in = new DataInputStream(new ByteArrayInputStream(fit));
    final byte format = in.readByte();
    if (format != FIT_FORMAT) {
      throw new IOException("fit format " + format + ", this version reads " + FIT_FORMAT);
    }
    final long step = in.readLong();
    if (step != stepMillis) {
      throw new IOException("fit for a " + step + " ms step, this series has " + stepMillis);
    }
    final long lastMillis = in.readLong();
    final String name = in.readUTF();
    final byte transform = in.readByte();
    if (transform < 0 || transform >= Transform.values().length) {
      throw new IOException("unknown interval transform " + transform);
    }
    final ResidualQuantiles q = in.readBoolean() ? ResidualQuantiles.read(in) : null;
    final Model fitted = ModelCodec.read(in);
    synchronized (lock) {
      if (lastIndex < 0) {
        return FitTransfer.Adoption.BEHIND;
      }
      final long localLast = anchorMillis + lastIndex * stepMillis;
      // points seen here after the exporter's last one (grids may be offset by under a step)
      final long ahead = Math.floorDiv(localLast - lastMillis + stepMillis / 2, stepMillis);
      if (ahead < 0) {
        return FitTransfer.Adoption.BEHIND;
      }
      if (ahead > history.size()) {
        return FitTransfer.Adoption.STALE;
      }
      for (long back = ahead - 1; back >= 0; back--) {
        fitted.update(history.fromEnd((int) back));
      }
      model = fitted;
      modelName = name;
      quantiles = q;
      intervalTransform = Transform.values()[transform];
      seenAtLastRefit = pointsSeen;
      refits++;
    }
    return FitTransfer.Adoption.ADOPTED;
  }
}
