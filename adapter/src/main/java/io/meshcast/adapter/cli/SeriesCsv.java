package io.meshcast.adapter.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code timestamp,value} CSV (the NAB / shared data format) into a regular series.
 *
 * <p>Timestamps: {@code yyyy-MM-dd HH:mm:ss[.fraction]} (taken as UTC, NAB's convention), ISO-8601
 * instants ({@code 2024-01-01T00:00:00Z}) or local date-times with {@code T}, or epoch seconds.
 * Values: decimal numbers; {@code NaN} marks an explicitly missing point. The step is the most
 * common positive gap between consecutive timestamps; the grid starts at the first timestamp.
 * Gaps that are whole multiples of the step are missing points, never filled in.
 *
 * <p>Under {@link Irregular#SNAP} (the default) real exports are taken as they come, and every
 * change is counted in {@link Changes}: an off-grid timestamp is rounded to the nearest grid slot;
 * rows landing on the same slot are merged into one with the mean of their values (NaN only if
 * all are NaN); a row whose slot is earlier than the previous row's (the clock went back) is
 * dropped, since a streaming scorer cannot go back in time. Under {@link Irregular#FAIL} each of
 * these is an error naming the line.
 *
 * <p>Every error names the line (1-based, header = line 1) and the offending text.
 */
final class SeriesCsv {
  /** What to do with off-grid, duplicate and backwards timestamps. */
  enum Irregular {
    FAIL,
    SNAP
  }

  /**
   * One series point: the first line it came from, its timestamp text (the input's when the row
   * was used as is, else the grid slot's in the input's style), grid timestamp and value.
   */
  record Row(int line, String timestampText, long epochMillis, double value) {}

  /**
   * What reading changed: rows read, off-grid rows snapped onto the grid, rows merged into an
   * earlier row of the same slot, rows dropped because their time went backwards (with the first
   * such line).
   */
  record Changes(int read, int snapped, int merged, int droppedBackwards, int firstBackwardsLine) {
    boolean none() {
      return snapped == 0 && merged == 0 && droppedBackwards == 0;
    }
  }

  /** A parsed file: rows in order, grid timestamps strictly increasing on a step grid. */
  record Series(List<Row> rows, long stepMillis, boolean epochSeconds, boolean isoT,
      Changes changes) {}

  /** Malformed input; the message names the line. */
  static final class FormatException extends Exception {
    FormatException(String message) {
      super(message);
    }
  }

  private static final DateTimeFormatter SPACE_FORMAT = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter(Locale.ROOT);
  private static final DateTimeFormatter OUT_SPACE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private SeriesCsv() {}

  static Series read(Path path, Irregular irregular) throws IOException, FormatException {
    final List<String[]> raw = new ArrayList<>();
    final List<Integer> lines = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      final String header = in.readLine();
      if (header == null) {
        throw new FormatException(path + ": empty file, expected a 'timestamp,value' header");
      }
      final String[] cols = header.replace("\uFEFF", "").trim().split(",", -1);
      final int tsCol = indexOf(cols, "timestamp");
      final int valCol = indexOf(cols, "value");
      if (tsCol < 0 || valCol < 0) {
        throw new FormatException(path + ": line 1: header must contain 'timestamp' and 'value'"
            + " columns, was '" + header + "'");
      }
      String line;
      int number = 1;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        final String[] f = line.split(",", -1);
        if (f.length <= Math.max(tsCol, valCol)) {
          throw new FormatException(path + ": line " + number + ": expected at least "
              + (Math.max(tsCol, valCol) + 1) + " columns, got '" + line + "'");
        }
        raw.add(new String[] {f[tsCol].trim(), f[valCol].trim()});
        lines.add(number);
      }
    }
    if (raw.size() < 2) {
      throw new FormatException(path + ": need at least 2 data rows, found " + raw.size());
    }
    final long[] ts = new long[raw.size()];
    final double[] vs = new double[raw.size()];
    boolean epoch = false;
    boolean isoT = false;
    for (int i = 0; i < raw.size(); i++) {
      final String t = raw.get(i)[0];
      final int ln = lines.get(i);
      epoch |= i == 0 && t.matches("\\d+(\\.\\d+)?");
      isoT |= i == 0 && t.contains("T");
      ts[i] = parseTimestamp(t, path, ln);
      vs[i] = parseValue(raw.get(i)[1], path, ln);
      if (irregular == Irregular.FAIL && i > 0 && ts[i] < ts[i - 1]) {
        throw new FormatException(path + ": line " + ln + ": timestamp '" + t
            + "' is earlier than the previous row's; rows must be in time order"
            + " (--irregular=fail; the default, snap, drops such rows and counts them)");
      }
    }
    final long step = modeStep(ts);
    if (step <= 0) {
      throw new FormatException(path + ": cannot infer a step: timestamps do not advance");
    }
    final Series shape = new Series(List.of(), step, epoch, isoT, null);
    final List<Row> rows = new ArrayList<>(raw.size());
    final long start = ts[0];
    long lastIndex = -1;
    int snapped = 0;
    int merged = 0;
    int backwards = 0;
    int firstBackwards = -1;
    double sum = 0; // of the non-NaN values merged into the last row
    int count = 0;
    for (int i = 0; i < ts.length; i++) {
      final long offset = ts[i] - start;
      final boolean offGrid = Math.floorMod(offset, step) != 0;
      if (irregular == Irregular.FAIL) {
        if (offGrid || (i > 0 && ts[i] == ts[i - 1])) {
          throw new FormatException(path + ": line " + lines.get(i) + ": timestamp '"
              + raw.get(i)[0] + "' is " + (i > 0 && ts[i] == ts[i - 1] ? "a duplicate"
              : "off the " + step / 1000.0 + " s grid inferred from the file")
              + " (--irregular=fail; the default, snap, rounds onto the grid and merges"
              + " duplicates)");
        }
      }
      final long index = Math.floorDiv(offset + step / 2, step);
      if (index < lastIndex) {
        backwards++;
        firstBackwards = firstBackwards < 0 ? lines.get(i) : firstBackwards;
        continue;
      }
      if (offGrid) {
        snapped++;
      }
      if (index == lastIndex) {
        merged++;
        if (!Double.isNaN(vs[i])) {
          sum += vs[i];
          count++;
        }
        final Row prev = rows.get(rows.size() - 1);
        rows.set(rows.size() - 1, new Row(prev.line(), format(shape, prev.epochMillis()),
            prev.epochMillis(), count == 0 ? Double.NaN : sum / count));
        continue;
      }
      lastIndex = index;
      sum = Double.isNaN(vs[i]) ? 0 : vs[i];
      count = Double.isNaN(vs[i]) ? 0 : 1;
      final long grid = start + index * step;
      rows.add(new Row(lines.get(i), offGrid ? format(shape, grid) : raw.get(i)[0], grid, vs[i]));
    }
    return new Series(List.copyOf(rows), step, epoch, isoT,
        new Changes(raw.size(), snapped, merged, backwards, firstBackwards));
  }

  /** Formats a grid timestamp in the input file's style. */
  static String format(Series s, long epochMillis) {
    if (s.epochSeconds()) {
      return Long.toString(Math.floorDiv(epochMillis, 1000));
    }
    if (s.isoT()) {
      return Instant.ofEpochMilli(epochMillis).toString();
    }
    return OUT_SPACE.format(Instant.ofEpochMilli(epochMillis));
  }

  private static int indexOf(String[] cols, String name) {
    for (int i = 0; i < cols.length; i++) {
      if (cols[i].trim().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private static long parseTimestamp(String t, Path path, int line) throws FormatException {
    try {
      if (t.matches("\\d+(\\.\\d+)?")) {
        return Math.round(Double.parseDouble(t) * 1000);
      }
      if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return Instant.parse(t).toEpochMilli();
      }
      if (t.contains("T")) {
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      return LocalDateTime.parse(t, SPACE_FORMAT).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new FormatException(path + ": line " + line + ": bad timestamp '" + t
          + "' (expected 'yyyy-MM-dd HH:mm:ss', ISO-8601 or epoch seconds)");
    }
  }

  private static double parseValue(String v, Path path, int line) throws FormatException {
    if (v.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    try {
      final double d = Double.parseDouble(v);
      if (Double.isInfinite(d) || v.isEmpty() || !v.matches("[-+0-9.eE]+")) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new FormatException(path + ": line " + line + ": value '" + v
          + "' is not a finite number (write NaN for a missing point)");
    }
  }

  /** The most common positive difference between consecutive timestamps (ties: the smaller). */
  private static long modeStep(long[] ts) {
    final Map<Long, Integer> counts = new HashMap<>();
    for (int i = 1; i < ts.length; i++) {
      final long d = ts[i] - ts[i - 1];
      if (d > 0) {
        counts.merge(d, 1, Integer::sum);
      }
    }
    long best = -1;
    int bestCount = 0;
    for (var e : counts.entrySet()) {
      if (e.getValue() > bestCount || e.getValue() == bestCount && e.getKey() < best) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best;
  }
}
