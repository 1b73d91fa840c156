package io.meshcast.loadtest.replay;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.imageio.ImageIO;

/**
 * Replicas vs demand over time, as a small PNG (java.awt in headless mode, no extra library).
 * Demand is drawn as "pods needed at 100 % utilisation" (λ / μ) so both share one axis; each
 * pixel column shows the column's maximum demand and mean replicas; SLO-violation minutes are
 * red ticks along the bottom. Only the scored part of the run is drawn.
 */
final class Plot {

  private static final int W = 1200;
  private static final int H = 400;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 30;
  private static final int BOTTOM = 50;

  private Plot() {}

  static void write(Path png, String title, Timeline tl, double capacityRps, Instant origin)
      throws IOException {
    write(png, title, tl, capacityRps, origin, tl.scoredFromMinute, tl.minutes);
  }

  /** The busiest window of the given length: centred on the scored part's peak demand minute. */
  static int[] peakWindow(Timeline tl, int minutes) {
    int peak = tl.scoredFromMinute;
    for (int m = tl.scoredFromMinute; m < tl.minutes; m++) {
      if (tl.demandRate[m] > tl.demandRate[peak]) {
        peak = m;
      }
    }
    final int from = Math.max(tl.scoredFromMinute, Math.min(tl.minutes - minutes, peak - minutes / 2));
    return new int[] {from, Math.min(tl.minutes, from + minutes)};
  }

  /** Plots minutes [from, to) of the timeline. */
  static void write(Path png, String title, Timeline tl, double capacityRps, Instant origin,
      int fromMinute, int toMinute) throws IOException {
    ImageIO.write(render(title, tl, capacityRps, origin, fromMinute, toMinute), "png", png.toFile());
  }

  /** The image {@link #write} writes, for composing several panels (mesh tiers) into one PNG. */
  static BufferedImage render(String title, Timeline tl, double capacityRps, Instant origin,
      int fromMinute, int toMinute) {
    System.setProperty("java.awt.headless", "true");
    final BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    final Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    final int from = fromMinute;
    final int n = toMinute - from;
    final int plotW = W - LEFT - RIGHT;
    final int plotH = H - TOP - BOTTOM;
    final double[] demand = new double[plotW];
    final double[] pods = new double[plotW];
    final double[] ready = new double[plotW];
    final boolean[] bad = new boolean[plotW];
    final int[] count = new int[plotW];
    double yMax = 1;
    for (int m = 0; m < n; m++) {
      final int x = (int) ((long) m * plotW / Math.max(1, n));
      final int mm = from + m;
      demand[x] = Math.max(demand[x], tl.demandRate[mm] / capacityRps);
      pods[x] += tl.podSeconds[mm] / 60.0;
      ready[x] += tl.readySeconds[mm] / 60.0;
      count[x]++;
      bad[x] |= tl.violated(mm);
      yMax = Math.max(yMax, Math.max(demand[x], tl.podSeconds[mm] / 60.0));
    }
    yMax = niceCeiling(yMax * 1.05);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    // axes and grid
    g.setColor(new Color(230, 230, 230));
    for (int i = 0; i <= 5; i++) {
      final int y = TOP + plotH - (int) (plotH * i / 5.0);
      g.drawLine(LEFT, y, LEFT + plotW, y);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawRect(LEFT, TOP, plotW, plotH);
    for (int i = 0; i <= 5; i++) {
      final int y = TOP + plotH - (int) (plotH * i / 5.0);
      g.drawString(String.format("%.0f", yMax * i / 5.0), 8, y + 4);
    }
    final DateTimeFormatter fmt = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
    for (int i = 0; i <= 6; i++) {
      final int x = LEFT + (int) (plotW * i / 6.0);
      final long minute = from + (long) n * i / 6;
      g.drawString(fmt.format(origin.plusSeconds(minute * 60)), Math.min(x - 35, W - 80),
          TOP + plotH + 18);
    }
    g.drawString("pods", 8, TOP - 10);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(title, LEFT, 18);
    // series
    drawSeries(g, demand, count, false, yMax, plotH, new Color(120, 120, 120), 1f);
    drawSeries(g, ready, count, true, yMax, plotH, new Color(60, 160, 60), 1f);
    drawSeries(g, pods, count, true, yMax, plotH, new Color(30, 90, 200), 1.5f);
    g.setColor(new Color(220, 30, 30));
    for (int x = 0; x < plotW; x++) {
      if (bad[x]) {
        g.drawLine(LEFT + x, TOP + plotH - 6, LEFT + x, TOP + plotH - 1);
      }
    }
    // legend
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int lx = LEFT + 10;
    lx = legend(g, lx, new Color(120, 120, 120), "demand / capacity per pod (column max)");
    lx = legend(g, lx, new Color(30, 90, 200), "replicas incl. starting (column mean)");
    lx = legend(g, lx, new Color(60, 160, 60), "ready");
    legend(g, lx, new Color(220, 30, 30), "SLO-violation minute");
    g.dispose();
    return img;
  }

  /** Draws one legend entry at x and returns where the next one starts. */
  private static int legend(Graphics2D g, int x, Color c, String label) {
    final int y = H - 12;
    g.setColor(c);
    g.fillRect(x, y - 8, 14, 4);
    g.setColor(Color.DARK_GRAY);
    g.drawString(label, x + 20, y - 2);
    return x + 20 + g.getFontMetrics().stringWidth(label) + 30;
  }

  private static void drawSeries(Graphics2D g, double[] v, int[] count, boolean mean, double yMax,
      int plotH, Color c, float width) {
    g.setColor(c);
    g.setStroke(new BasicStroke(width));
    int px = -1;
    int py = 0;
    for (int x = 0; x < v.length; x++) {
      if (count[x] == 0) {
        continue;
      }
      final double val = mean ? v[x] / count[x] : v[x];
      final int y = TOP + plotH - (int) Math.round(plotH * Math.min(1, val / yMax));
      if (px >= 0) {
        g.drawLine(LEFT + px, py, LEFT + x, y);
      }
      px = x;
      py = y;
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static double niceCeiling(double v) {
    final double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
