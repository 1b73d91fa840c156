package io.meshcast.adapter.predict;

/**
 * What one series' own recent history supports, kept incrementally for {@link ServingDecision}:
 *
 * <ul>
 *   <li><b>Largest rise over the lead.</b> For every retained point {@code y[t-L]} with {@code
 *       y[t-L] > 0}, the ratio {@code max(y[t-L+1..t]) / y[t-L]}; {@link #maxRise()} is the
 *       largest over about the last {@code capacity} points (kept as {@value #BLOCKS} block
 *       maxima, so memory per series is constant). A forecast that extrapolates a trend
 *       beyond {@code y * maxRise} asks for growth this series has never shown over the lead;
 *       that overshoot is what costs replica-hours (the HPA's downscale stabilisation holds it).
 *   <li><b>Surge.</b> A change point detected at the newest point: the step up {@code d = y[t] -
 *       y[t-1]} exceeds {@value #SURGE_SIGMAS} times the series' typical step ({@code s}, an
 *       exponentially weighted mean of {@code |d|} over about {@value #SCALE_MEMORY} points) and
 *       {@code y[t]} is above every point of the last lead. The surge lasts while the series keeps
 *       rising; its {@link #surgeTarget()} is where its ramp ends (below).
 * </ul>
 *
 * Both are measured on the points the model is fed (the refresh resolution), so they see a step
 * in demand within one refresh. The constants are fixed, not tuned per series or trace: a 4-sigma
 * step in one refresh is rare in noise (the scale is a mean absolute step, about 0.8 sigma for
 * Gaussian steps, so the threshold is about 3.2 sigma).
 *
 * <p>Not thread-safe: fed and read by one refresh at a time ({@link SeriesModel}).
 */
public final class RecentHistory {

  /** A surge starts when the step up exceeds this many typical steps. */
  static final double SURGE_SIGMAS = 4;

  /** Memory of the typical step, in points. */
  static final int SCALE_MEMORY = 120;

  /** The retained rises are kept as this many block maxima (bounded memory per series). */
  static final int BLOCKS = 48;

  private final int lead;
  private final int window;
  private final double[] values;
  private final double[] blockMax;
  private final int blockSize;
  private int size;
  private int next;
  private long rises;
  private double currentMax = Double.NaN;
  private double scale = Double.NaN;
  private long count;
  private boolean surging;
  private double surgeStart = Double.NaN;
  private int surgeSteps;

  /**
   * @param leadSteps L, the lead in points
   * @param windowSteps W, the signal's rate window in points (1 for gauges)
   * @param capacity how many points of rises are retained (rounded up to whole blocks)
   */
  public RecentHistory(int leadSteps, int windowSteps, int capacity) {
    this.lead = Math.max(1, leadSteps);
    this.window = Math.max(1, windowSteps);
    this.values = new double[lead + 1];
    this.blockSize = Math.max(1, (Math.max(capacity, BLOCKS) + BLOCKS - 1) / BLOCKS);
    this.blockMax = new double[BLOCKS];
    java.util.Arrays.fill(blockMax, Double.NaN);
  }

  /** Appends one point of the model's grid (NaN and infinities are skipped). */
  public void add(double y) {
    if (Double.isNaN(y) || Double.isInfinite(y)) {
      return;
    }
    double previous = size == 0 ? Double.NaN : at(0);
    double recentMax = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < Math.min(lead, size); k++) {
      recentMax = Math.max(recentMax, at(k));
    }
    values[next] = y;
    next = (next + 1) % values.length;
    size = Math.min(size + 1, values.length);
    count++;
    rise();
    surge(y, previous, recentMax);
  }

  /** The largest rise ratio over the lead in the retained history; NaN before one is known. */
  double maxRise() {
    double m = currentMax;
    for (double b : blockMax) {
      if (!Double.isNaN(b) && (Double.isNaN(m) || b > m)) {
        m = b;
      }
    }
    return m;
  }

  /** Whether the series is surging at its newest point. */
  boolean surging() {
    return surging;
  }

  /**
   * Where the surge's ramp ends: the newest point plus the mean rise per step over the rest of
   * the rate window ({@code y + rise * max(0, W - j)}). A step in demand shows in a windowed rate as
   * a ramp W steps long, so this is the demand the surge has revealed; a ramp that lasts longer
   * than the window is a trend, left to the forecast.
   */
  double surgeTarget() {
    if (!surging || size == 0) {
      return Double.NaN;
    }
    double y = at(0);
    return y + (y - surgeStart) / surgeSteps * Math.max(0, window - surgeSteps);
  }

  /** The point {@code k} steps before the newest, {@code k <= L}. */
  private double at(int k) {
    return values[Math.floorMod(next - 1 - k, values.length)];
  }

  private void rise() {
    if (size <= lead) {
      return;
    }
    double base = at(lead);
    if (base > 0) {
      double peak = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < lead; k++) {
        peak = Math.max(peak, at(k));
      }
      double r = peak / base;
      currentMax = Double.isNaN(currentMax) ? r : Math.max(currentMax, r);
    }
    rises++;
    if (rises % blockSize == 0) {
      // Close the block: the oldest block maximum leaves the retained window.
      blockMax[(int) ((rises / blockSize) % BLOCKS)] = currentMax;
      currentMax = Double.NaN;
    }
  }

  private void surge(double y, double previous, double recentMax) {
    if (Double.isNaN(previous)) {
      return;
    }
    double d = y - previous;
    boolean warm = count > SCALE_MEMORY / 4;
    if (surging) {
      if (d > 0) {
        surgeSteps++;
      } else {
        surging = false;
      }
    } else if (warm && scale > 0 && d > SURGE_SIGMAS * scale && y > recentMax) {
      surging = true;
      surgeStart = previous;
      surgeSteps = 1;
    }
    // The typical step is learned from quiet points only, so a surge does not raise its own bar.
    if (!surging) {
      double a = 2.0 / (SCALE_MEMORY + 1);
      scale = Double.isNaN(scale) ? Math.abs(d) : (1 - a) * scale + a * Math.abs(d);
    }
  }
}
