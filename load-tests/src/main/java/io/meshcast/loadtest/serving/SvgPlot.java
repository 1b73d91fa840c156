package io.meshcast.loadtest.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal SVG line chart (no dependency, readable on GitHub): named lines of (x, y) points,
 * linear or log10 axes, five ticks each. Enough for the benchmark's plots, nothing more.
 */
final class SvgPlot {

  /** One line of the chart. */
  record Line(String name, double[] x, double[] y) {}

  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"};
  private static final int W = 640;
  private static final int H = 360;
  private static final int L = 70;
  private static final int R = 20;
  private static final int T = 40;
  private static final int B = 50;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean logX;
  private final boolean logY;
  private final List<Line> lines = new ArrayList<>();

  SvgPlot(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logX = logX;
    this.logY = logY;
  }

  SvgPlot line(String name, double[] x, double[] y) {
    lines.add(new Line(name, x.clone(), y.clone()));
    return this;
  }

  String render() {
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y0 = logY ? Double.POSITIVE_INFINITY : 0;
    double y1 = Double.NEGATIVE_INFINITY;
    for (Line l : lines) {
      for (int i = 0; i < l.x.length; i++) {
        if (!usable(l.y[i], logY)) {
          continue;
        }
        x0 = Math.min(x0, tx(l.x[i], logX));
        x1 = Math.max(x1, tx(l.x[i], logX));
        y0 = Math.min(y0, tx(l.y[i], logY));
        y1 = Math.max(y1, tx(l.y[i], logY));
      }
    }
    if (x1 <= x0) {
      x1 = x0 + 1;
    }
    if (y1 <= y0) {
      y1 = y0 + 1;
    }
    y1 += (y1 - y0) * 0.05;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    s.append(text(W / 2.0, 20, title, "middle", 14));
    s.append(text(W / 2.0, H - 10, xLabel, "middle", 12));
    s.append(String.format(Locale.ROOT,
        "<text x=\"15\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 15 %d)\">%s</text>%n",
        H / 2, H / 2, esc(yLabel)));
    s.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
        L, T, W - L - R, H - T - B));
    for (int k = 0; k <= 4; k++) {
      double fx = x0 + (x1 - x0) * k / 4;
      double fy = y0 + (y1 - y0) * k / 4;
      double px = L + (W - L - R) * k / 4.0;
      double py = H - B - (H - T - B) * k / 4.0;
      s.append(text(px, H - B + 16, fmt(logX ? Math.pow(10, fx) : fx), "middle", 11));
      s.append(text(L - 6, py + 4, fmt(logY ? Math.pow(10, fy) : fy), "end", 11));
      s.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
          L, py, W - R, py));
    }
    for (int li = 0; li < lines.size(); li++) {
      Line l = lines.get(li);
      String color = COLORS[li % COLORS.length];
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < l.x.length; i++) {
        if (!usable(l.y[i], logY)) {
          continue;
        }
        double px = L + (W - L - R) * (tx(l.x[i], logX) - x0) / (x1 - x0);
        double py = H - B - (H - T - B) * (tx(l.y[i], logY) - y0) / (y1 - y0);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        s.append(String.format(Locale.ROOT,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py, color));
      }
      s.append(String.format(Locale.ROOT,
          "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
          pts.toString().trim(), color));
      s.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>%n",
          L + 10, T + 10 + 16 * li, color));
      s.append(text(L + 28, T + 15 + 16 * li, l.name, "start", 11));
    }
    return s.append("</svg>\n").toString();
  }

  private static boolean usable(double v, boolean log) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  private static double tx(double v, boolean log) {
    return log ? Math.log10(v) : v;
  }

  private static String fmt(double v) {
    double a = Math.abs(v);
    if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.3gM", v / 1e6);
    }
    if (a >= 1e4) {
      return String.format(Locale.ROOT, "%.3gk", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  private static String text(double x, double y, String t, String anchor, int size) {
    return String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
        x, y, anchor, size, esc(t));
  }

  private static String esc(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
