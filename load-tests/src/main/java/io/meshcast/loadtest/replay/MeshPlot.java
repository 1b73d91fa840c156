package io.meshcast.loadtest.replay;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** One PNG per mesh run: the tiers' {@link Plot} panels stacked, callers above callees. */
final class MeshPlot {

  private static final int HEADER = 28;

  private MeshPlot() {}

  static void write(Path png, String title, MeshSimulation.Result result,
      Map<String, ReplayConfig> configs, Instant origin, int fromMinute, int toMinute)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage[] panels = new BufferedImage[result.tiers().size()];
    int i = 0;
    for (Map.Entry<String, Timeline> e : result.tiers().entrySet()) {
      Timeline tl = e.getValue();
      panels[i++] = Plot.render(String.format(Locale.ROOT, "%s: %d SLO-violation min, %.0f "
              + "replica-h (whole run)", e.getKey(), tl.sloViolationMinutes(), tl.replicaHours()),
          tl, configs.get(e.getKey()).capacityRps(), origin, fromMinute, toMinute);
    }
    int w = panels[0].getWidth();
    int h = HEADER;
    for (BufferedImage p : panels) {
      h += p.getHeight();
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, 10, 20);
    int y = HEADER;
    for (BufferedImage p : panels) {
      g.drawImage(p, 0, y, null);
      g.setColor(new Color(200, 200, 200));
      g.drawLine(0, y, w, y);
      y += p.getHeight();
    }
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }
}
