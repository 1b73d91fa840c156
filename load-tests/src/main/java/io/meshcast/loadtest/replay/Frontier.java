package io.meshcast.loadtest.replay;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/*
 * The cost/violation frontier of one trace. Each point is one replay: reactive at a swept HPA
 * target utilisation, meshcast at a swept forecast.risk (HPA target fixed at the replay's). The
 * reactive points, sorted by replica-hours, form a piecewise-linear frontier; a meshcast point is
 * compared with the reactive violation minutes interpolated at its own replica-hours
 * (equal-cost comparison). Outside the reactive points' cost range there is nothing to
 * interpolate and the comparison is left empty rather than extrapolated.
 */
final class Frontier {

  /** One replay on the frontier. */
  record Point(String policy, String knob, double value, double replicaHours,
      long violationMinutes) {}

  private Frontier() {}

  /** Reactive violation minutes at {@code hours}, linear between neighbours; NaN outside. */
  static double reactiveAt(List<Point> reactive, double hours) {
    List<Point> r = new ArrayList<>(reactive);
    r.sort(Comparator.comparingDouble(Point::replicaHours));
    for (int i = 1; i < r.size(); i++) {
      Point a = r.get(i - 1);
      Point b = r.get(i);
      if (hours >= a.replicaHours() && hours <= b.replicaHours()) {
        double w = b.replicaHours() == a.replicaHours() ? 0
            : (hours - a.replicaHours()) / (b.replicaHours() - a.replicaHours());
        return a.violationMinutes() + w * (b.violationMinutes() - a.violationMinutes());
      }
    }
    return Double.NaN;
  }

  /** The JSON object of a frontier: points and the equal-cost comparison per meshcast point. */
  static Map<String, Object> json(String trace, List<Point> reactive, List<Point> meshcast) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("trace", trace);
    out.put("reactive", rows(reactive));
    List<Map<String, Object>> m = rows(meshcast);
    for (int i = 0; i < meshcast.size(); i++) {
      double at = reactiveAt(reactive, meshcast.get(i).replicaHours());
      m.get(i).put("reactive_violation_minutes_at_equal_cost",
          Double.isNaN(at) ? null : Math.round(at * 10) / 10.0);
      m.get(i).put("violation_minutes_vs_reactive_at_equal_cost",
          Double.isNaN(at) || at <= 0 ? null
              : Math.round(meshcast.get(i).violationMinutes() / at * 1000) / 1000.0);
    }
    out.put("meshcast", m);
    return out;
  }

  private static List<Map<String, Object>> rows(List<Point> points) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Point p : points) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("policy", p.policy());
      row.put(p.knob(), p.value());
      row.put("replica_hours", Math.round(p.replicaHours() * 100) / 100.0);
      row.put("slo_violation_minutes", p.violationMinutes());
      out.add(row);
    }
    return out;
  }

  /** Violation minutes against replica-hours, one line per policy, each point labelled. */
  static void plot(Path png, String title, List<Point> reactive, List<Point> meshcast)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    final int w = 900;
    final int h = 560;
    final int left = 80;
    final int right = 30;
    final int top = 40;
    final int bottom = 60;
    List<Point> all = new ArrayList<>(reactive);
    all.addAll(meshcast);
    double x0 = all.stream().mapToDouble(Point::replicaHours).min().orElse(0);
    double x1 = all.stream().mapToDouble(Point::replicaHours).max().orElse(1);
    double y1 = all.stream().mapToDouble(Point::violationMinutes).max().orElse(1);
    double pad = Math.max(1, (x1 - x0) * 0.05);
    x0 -= pad;
    x1 += pad;
    y1 = Math.max(1, y1 * 1.08);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, left, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawLine(left, h - bottom, w - right, h - bottom);
    g.drawLine(left, top, left, h - bottom);
    for (int i = 0; i <= 5; i++) {
      double xv = x0 + (x1 - x0) * i / 5;
      int px = left + (int) ((w - left - right) * i / 5.0);
      g.drawString(String.format(Locale.ROOT, "%.0f", xv), px - 15, h - bottom + 16);
      double yv = y1 * i / 5;
      int py = h - bottom - (int) ((h - top - bottom) * i / 5.0);
      g.drawString(String.format(Locale.ROOT, "%.0f", yv), left - 45, py + 4);
    }
    g.drawString("replica-hours", w / 2 - 30, h - 20);
    g.drawString("SLO-violation minutes", 8, top - 8);
    draw(g, reactive, new Color(31, 119, 180), "reactive target ", x0, x1, y1, w, h, left, right,
        top, bottom);
    draw(g, meshcast, new Color(230, 100, 20), "risk ", x0, x1, y1, w, h, left, right, top,
        bottom);
    g.setColor(new Color(31, 119, 180));
    g.drawString("reactive (HPA target swept)", w - 260, top + 10);
    g.setColor(new Color(230, 100, 20));
    g.drawString("meshcast (forecast.risk swept, target 0.7)", w - 260, top + 26);
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }

  private static void draw(Graphics2D g, List<Point> points, Color c, String label, double x0,
      double x1, double y1, int w, int h, int left, int right, int top, int bottom) {
    List<Point> p = new ArrayList<>(points);
    p.sort(Comparator.comparingDouble(Point::replicaHours));
    g.setColor(c);
    g.setStroke(new BasicStroke(2f));
    int px = -1;
    int py = -1;
    for (Point q : p) {
      int x = left + (int) ((q.replicaHours() - x0) / (x1 - x0) * (w - left - right));
      int y = h - bottom - (int) (q.violationMinutes() / y1 * (h - top - bottom));
      if (px >= 0) {
        g.drawLine(px, py, x, y);
      }
      g.fillOval(x - 4, y - 4, 8, 8);
      g.drawString(label + (Double.isNaN(q.value()) ? "mean" : String.format(Locale.ROOT,
          "%.2f", q.value())), x + 6, y - 6);
      px = x;
      py = y;
    }
  }
}
