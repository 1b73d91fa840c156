package io.meshcast.adapter.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The NASA-HTTP July 1995 requests-per-minute trace (public domain), bundled gzipped in the jar.
 * Immutable after loading.
 */
final class NasaTrace {

  static final String RESOURCE = "/demo/nasa_http_jul1995_per_min.csv.gz";

  private final double[] perMinute;

  private NasaTrace(double[] perMinute) {
    this.perMinute = perMinute;
  }

  static NasaTrace load() {
    try (InputStream raw = NasaTrace.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("demo trace " + RESOURCE + " missing from the jar");
      }
      BufferedReader in = new BufferedReader(
          new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      double[] v = new double[40_000];
      int n = 0;
      String line = in.readLine(); // header
      while ((line = in.readLine()) != null) {
        int comma = line.lastIndexOf(',');
        if (comma < 0) {
          continue;
        }
        if (n == v.length) {
          v = java.util.Arrays.copyOf(v, n * 2);
        }
        v[n++] = Double.parseDouble(line.substring(comma + 1).trim());
      }
      return new NasaTrace(java.util.Arrays.copyOf(v, n));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read demo trace " + RESOURCE, e);
    }
  }

  int size() {
    return perMinute.length;
  }

  /** Requests per minute at a fractional minute index (linear between minutes, wraps around). */
  double at(double minute) {
    int n = perMinute.length;
    double m = ((minute % n) + n) % n;
    int i = (int) Math.floor(m);
    double w = m - i;
    return perMinute[i] * (1 - w) + perMinute[(i + 1) % n] * w;
  }
}
