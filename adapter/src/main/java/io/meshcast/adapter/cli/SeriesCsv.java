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
 * common gap between consecutive timestamps. Under {@link Irregular#FAIL} every gap must be a
 * positive whole multiple of it (multiples are missing points); under {@link Irregular#SNAP}
 * timestamps are rounded to the grid and rows that land on an occupied or earlier slot take the
 * next free one, so every input row still gets exactly one output row.
 *
 * <p>Every error names the line (1-based, header = line 1) and the offending text.
 */
final class SeriesCsv {
  /** What to do with timestamps off the inferred grid. */
  enum Irregular {
    FAIL,
    SNAP
  }

  /** One data row: its line, original timestamp text, grid timestamp and value. */
  record Row(int line, String timestampText, long epochMillis, double value) {}

  /** A parsed file: rows in order, grid timestamps strictly increasing on a step grid. */
  record Series(List<Row> rows, long stepMillis, boolean epochSeconds, boolean isoT) {}

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
      if (i > 0 && ts[i] < ts[i - 1]) {
        throw new FormatException(path + ": line " + ln + ": timestamp '" + t
            + "' is earlier than the previous row's; rows must be in time order");
      }
    }
    final long step = modeStep(ts);
    if (step <= 0) {
      throw new FormatException(path + ": cannot infer a step: timestamps do not advance");
    }
    final List<Row> rows = new ArrayList<>(raw.size());
    final long start = ts[0];
    long lastIndex = -1;
    for (int i = 0; i < ts.length; i++) {
      final long offset = ts[i] - start;
      long index;
      if (irregular == Irregular.FAIL) {
        if (offset % step != 0 || (i > 0 && ts[i] == ts[i - 1])) {
          throw new FormatException(path + ": line " + lines.get(i) + ": timestamp '"
              + raw.get(i)[0] + "' is " + (i > 0 && ts[i] == ts[i - 1] ? "a duplicate"
              : "off the " + step / 1000.0 + " s grid inferred from the file")
              + " (irregular step; use --irregular=snap to round onto the grid)");
        }
        index = offset / step;
      } else {
        index = Math.max(lastIndex + 1, Math.floorDiv(offset + step / 2, step));
      }
      lastIndex = index;
      rows.add(new Row(lines.get(i), raw.get(i)[0], start + index * step, vs[i]));
    }
    return new Series(List.copyOf(rows), step, epoch, isoT);
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
