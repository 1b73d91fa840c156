package io.meshcast.loadtest.eval;

import io.meshcast.forecast.RegularSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Loads a {@code timestamp,value} CSV of the evaluation data onto a regular grid: the step is the
 * first gap, rows are rounded to the grid, empty slots are NaN (missing) and a slot hit twice keeps
 * the later row. Only for the repository's own data files; the CLI has the strict reader.
 */
final class GridSeries {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private GridSeries() {}

  static RegularSeries load(Path csv) throws IOException {
    final List<String> lines = Files.readAllLines(csv);
    final int n = lines.size() - 1;
    if (n < 2) {
      throw new IOException(csv + ": need at least 2 rows");
    }
    final long[] t = new long[n];
    final double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      final String[] f = lines.get(i + 1).split(",");
      t[i] = LocalDateTime.parse(f[0].trim().substring(0, 19), FORMAT)
          .toInstant(ZoneOffset.UTC).toEpochMilli();
      v[i] = Double.parseDouble(f[1].trim());
    }
    final long step = t[1] - t[0];
    final int slots = (int) ((t[n - 1] - t[0] + step / 2) / step) + 1;
    final double[] grid = new double[slots];
    Arrays.fill(grid, Double.NaN);
    for (int i = 0; i < n; i++) {
      final int k = (int) Math.floorDiv(t[i] - t[0] + step / 2, step);
      if (k >= 0 && k < slots) {
        grid[k] = v[i];
      }
    }
    return new RegularSeries(t[0], step, grid);
  }
}
