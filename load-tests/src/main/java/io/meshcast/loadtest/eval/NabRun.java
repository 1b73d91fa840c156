package io.meshcast.loadtest.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Runs {@code meshcast anomaly} (the real CLI, in-process) on every NAB file under {@code
 * data/nab} and writes NAB's "simple" layout ({@code <out>/<category>/<file>.csv} with {@code
 * timestamp,value,anomaly_score}, score in [0, 1] = ours / 100) for {@code nab_score.py --simple}.
 */
final class NabRun {
  private NabRun() {}

  /** @return the NAB file keys processed ("category/file.csv") */
  static List<String> run(Path nabData, Path out, int limitFiles) throws IOException {
    return run(nabData, out, limitFiles, new ArrayList<>());
  }

  /**
   * Like {@link #run(Path, Path, int)}; a file the CLI refuses is reported in {@code refused}
   * ("key: message") and written with score 0 on every row, i.e. scored as "no detections" (the
   * protocol of issue 13), instead of failing the run.
   */
  static List<String> run(Path nabData, Path out, int limitFiles, List<String> refused)
      throws IOException {
    final List<Path> files;
    try (Stream<Path> s = Files.walk(nabData)) {
      files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
    }
    final List<String> keys = new ArrayList<>();
    for (Path f : files) {
      if (limitFiles > 0 && keys.size() >= limitFiles) {
        break;
      }
      final String key = nabData.relativize(f).toString().replace('\\', '/');
      final Path raw = Files.createTempFile("meshcast-anomaly", ".csv");
      try {
        final StringWriter err = new StringWriter();
        final CommandLine cli = new CommandLine(new io.meshcast.adapter.Main());
        cli.setErr(new PrintWriter(err));
        final int rc = cli.execute("anomaly", "--irregular=snap", "--input", f.toString(),
            "--output", raw.toString());
        final Path target = out.resolve(key);
        Files.createDirectories(target.getParent());
        if (rc != 0) {
          refused.add(key + ": " + err.toString().strip());
          writeNoDetections(f, target);
        } else {
          convert(raw, f, target);
        }
      } finally {
        Files.deleteIfExists(raw);
      }
      keys.add(key);
    }
    return keys;
  }

  /** Every input row with score 0. */
  private static void writeNoDetections(Path input, Path target) throws IOException {
    final List<String> lines = Files.readAllLines(input);
    try (BufferedWriter w = Files.newBufferedWriter(target)) {
      w.write("timestamp,value,anomaly_score\n");
      for (int i = 1; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          w.write(lines.get(i).strip() + ",0\n");
        }
      }
    }
  }

  /**
   * Writes one row per input row (NAB scores every row of the data file) with the CLI's score
   * divided by 100. The CLI snaps irregular input onto its grid: rows sharing a slot are merged
   * and rows going back in time are dropped, so it may write fewer rows than it read. Each input
   * row takes the score of the output row nearest to it in time (the slot it was snapped or
   * merged into; for a dropped row, the point the scorer saw closest to it).
   */
  static void convert(Path raw, Path input, Path target) throws IOException {
    final List<String> out = Files.readAllLines(raw);
    final long[] times = new long[out.size() - 1];
    final String[] scores = new String[times.length];
    for (int i = 1; i < out.size(); i++) {
      final String[] f = out.get(i).split(",");
      times[i - 1] = epochSeconds(f[0]);
      scores[i - 1] = String.format(Locale.ROOT, "%.6f", Double.parseDouble(f[2]) / 100);
    }
    final List<String> in = Files.readAllLines(input);
    try (BufferedWriter w = Files.newBufferedWriter(target)) {
      w.write("timestamp,value,anomaly_score\n");
      for (int i = 1; i < in.size(); i++) {
        if (in.get(i).isBlank()) {
          continue;
        }
        final String[] f = in.get(i).strip().split(",");
        w.write(f[0] + ',' + f[1] + ',' + scores[nearest(times, epochSeconds(f[0]))] + '\n');
      }
    }
  }

  /** Index of the value in ascending {@code times} nearest to {@code t} (earlier on a tie). */
  static int nearest(long[] times, long t) {
    int i = java.util.Arrays.binarySearch(times, t);
    if (i >= 0) {
      return i;
    }
    i = -i - 1;
    if (i == 0) {
      return 0;
    }
    if (i == times.length) {
      return times.length - 1;
    }
    return t - times[i - 1] <= times[i] - t ? i - 1 : i;
  }

  /** NAB's {@code yyyy-MM-dd HH:mm:ss[.fraction]} (UTC) in whole seconds. */
  private static long epochSeconds(String text) {
    return java.time.LocalDateTime.parse(text.strip().replace(' ', 'T'))
        .toEpochSecond(java.time.ZoneOffset.UTC);
  }
}
