package io.meshcast.loadtest.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request-count trace on a regular grid: {@code values[i]} requests were counted in the
 * interval {@code [start + i × step, start + (i+1) × step)}.
 *
 * <p>Gap policy (explicit, reported): a missing interval between two present ones is filled by
 * linear interpolation of its neighbours and counted in {@link #filledIntervals()}; the step is
 * the smallest difference between consecutive timestamps. Negative, NaN or unparseable values,
 * unsorted or duplicate timestamps, and off-grid timestamps are errors naming the line.
 *
 * @param name file name without extension, used in results
 * @param start timestamp of the first interval (UTC; CSV timestamps without offset are UTC)
 * @param stepSeconds interval length in seconds
 * @param values requests counted per interval
 * @param filledIntervals how many intervals were missing and interpolated
 */
public record Trace(String name, Instant start, long stepSeconds, double[] values, int filledIntervals) {

  private static final DateTimeFormatter SPACE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  public Trace {
    if (stepSeconds <= 0) {
      throw new IllegalArgumentException("trace step must be positive, got " + stepSeconds);
    }
    if (values.length < 2) {
      throw new IllegalArgumentException("trace " + name + " needs at least 2 points");
    }
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /** Length of the trace in seconds. */
  public long durationSeconds() {
    return values.length * stepSeconds;
  }

  /** The value of interval i, without copying. */
  double value(int i) {
    return values[i];
  }

  int size() {
    return values.length;
  }

  /** Intervals [from, from + count) as a new trace. */
  public Trace slice(int from, int count) {
    if (from < 0 || count < 2 || from + count > values.length) {
      throw new IllegalArgumentException("slice [" + from + ", " + (from + count)
          + ") is outside the trace's " + values.length + " intervals (and must hold >= 2)");
    }
    return new Trace(name, start.plusSeconds(from * stepSeconds), stepSeconds,
        Arrays.copyOfRange(values, from, from + count), filledIntervals);
  }

  /** Reads a {@code timestamp,value} CSV with a header line. */
  public static Trace read(Path csv) throws IOException {
    final List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    final String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
    final List<Instant> times = new ArrayList<>();
    final List<Double> vals = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      final String line = lines.get(i).strip();
      if (line.isEmpty() || (i == 0 && line.toLowerCase().startsWith("timestamp"))) {
        continue;
      }
      final String[] parts = line.split(",");
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            csv + " line " + (i + 1) + ": expected 'timestamp,value', got '" + line + "'");
      }
      final Instant t = parseTime(parts[0].strip(), csv, i + 1);
      final double v;
      try {
        v = Double.parseDouble(parts[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            csv + " line " + (i + 1) + ": value '" + parts[1] + "' is not a number", e);
      }
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            csv + " line " + (i + 1) + ": request count must be finite and >= 0, got " + v);
      }
      if (!times.isEmpty() && !t.isAfter(times.get(times.size() - 1))) {
        throw new IllegalArgumentException(
            csv + " line " + (i + 1) + ": timestamp " + t + " is not after the previous one");
      }
      times.add(t);
      vals.add(v);
    }
    if (times.size() < 2) {
      throw new IllegalArgumentException(csv + ": needs at least 2 data lines, got " + times.size());
    }
    long step = Long.MAX_VALUE;
    for (int i = 1; i < times.size(); i++) {
      step = Math.min(step, times.get(i).getEpochSecond() - times.get(i - 1).getEpochSecond());
    }
    final long span = times.get(times.size() - 1).getEpochSecond() - times.get(0).getEpochSecond();
    final int n = (int) (span / step) + 1;
    final double[] grid = new double[n];
    int filled = 0;
    for (int i = 0; i < times.size(); i++) {
      final long offset = times.get(i).getEpochSecond() - times.get(0).getEpochSecond();
      if (offset % step != 0) {
        throw new IllegalArgumentException(csv + ": timestamp " + times.get(i)
            + " is not on the " + step + " s grid starting at " + times.get(0));
      }
      final int idx = (int) (offset / step);
      grid[idx] = vals.get(i);
      if (i > 0) {
        final int prevIdx = (int) ((times.get(i - 1).getEpochSecond()
            - times.get(0).getEpochSecond()) / step);
        for (int j = prevIdx + 1; j < idx; j++) { // gap: interpolate, and count it
          final double w = (double) (j - prevIdx) / (idx - prevIdx);
          grid[j] = vals.get(i - 1) * (1 - w) + vals.get(i) * w;
          filled++;
        }
      }
    }
    return new Trace(name, times.get(0), step, grid, filled);
  }

  private static Instant parseTime(String s, Path csv, int line) {
    try {
      if (s.length() > 10 && s.charAt(10) == ' ') {
        return LocalDateTime.parse(s, SPACE).toInstant(ZoneOffset.UTC);
      }
      if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return OffsetDateTime.parse(s).toInstant();
      }
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(csv + " line " + line + ": timestamp '" + s
          + "' is neither 'yyyy-MM-dd HH:mm:ss' nor ISO-8601", e);
    }
  }
}
