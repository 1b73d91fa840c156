package io.meshcast.loadtest.replay;

/**
 * Per-minute record of one run, and the scoring rules.
 *
 * <p>SLO: a minute violates the SLO when it drops any request, or when more than 1 % of its
 * requests miss the latency objective — i.e. its p99 latency exceeds the SLO (the per-second
 * miss fractions come from {@link QueueModel}, weighted by each second's arrivals). Minutes
 * before {@code scoredFromMinute} (the warm-up) are simulated but not scored.
 */
final class Timeline {

  final int minutes;
  final int scoredFromMinute;
  final double[] arrivals;
  final double[] late;
  final double[] dropped;
  final double[] podSeconds;
  final double[] readySeconds;
  final double[] demandRate;
  int scaleEvents;

  Timeline(int seconds, long warmupSeconds) {
    this.minutes = (seconds + 59) / 60;
    this.scoredFromMinute = (int) Math.min(minutes, (warmupSeconds + 59) / 60);
    arrivals = new double[minutes];
    late = new double[minutes];
    dropped = new double[minutes];
    podSeconds = new double[minutes];
    readySeconds = new double[minutes];
    demandRate = new double[minutes];
  }

  void record(long second, int arrivalCount, double rate, QueueModel.Step step, int pods, int ready) {
    final int m = (int) (second / 60);
    arrivals[m] += arrivalCount;
    late[m] += arrivalCount * step.lateFraction();
    dropped[m] += step.dropped();
    podSeconds[m] += pods;
    readySeconds[m] += ready;
    demandRate[m] += rate / 60.0;
  }

  boolean violated(int m) {
    return dropped[m] > 0 || late[m] > 0.01 * arrivals[m];
  }

  int sloViolationMinutes() {
    int n = 0;
    for (int m = scoredFromMinute; m < minutes; m++) {
      if (violated(m)) {
        n++;
      }
    }
    return n;
  }

  long droppedRequests() {
    double d = 0;
    for (int m = scoredFromMinute; m < minutes; m++) {
      d += dropped[m];
    }
    return Math.round(d);
  }

  long totalRequests() {
    double d = 0;
    for (int m = scoredFromMinute; m < minutes; m++) {
      d += arrivals[m];
    }
    return Math.round(d);
  }

  double replicaHours() {
    double s = 0;
    for (int m = scoredFromMinute; m < minutes; m++) {
      s += podSeconds[m];
    }
    return s / 3600.0;
  }

  int scoredMinutes() {
    return minutes - scoredFromMinute;
  }

  /** Per-minute CSV of the whole run (warm-up included, flagged). */
  void writeCsv(java.nio.file.Path csv) throws java.io.IOException {
    final StringBuilder b = new StringBuilder(
        "minute,scored,demand_rps,arrivals,pods,ready,late,dropped,violated\n");
    for (int m = 0; m < minutes; m++) {
      b.append(m).append(',').append(m >= scoredFromMinute ? 1 : 0).append(',')
          .append(String.format(java.util.Locale.ROOT, "%.2f,%.0f,%.3f,%.3f,%.1f,%.0f,%d%n",
              demandRate[m], arrivals[m], podSeconds[m] / 60, readySeconds[m] / 60, late[m],
              dropped[m], violated(m) ? 1 : 0));
    }
    java.nio.file.Files.writeString(csv, b);
  }
}
