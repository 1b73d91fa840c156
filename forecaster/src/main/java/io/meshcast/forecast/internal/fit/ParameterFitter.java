package io.meshcast.forecast.internal.fit;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

/**
 * Bounded minimisation of a smoothing model's loss: Brent's method for one parameter (Brent 1973,
 * Algorithms for Minimization without Derivatives, ch. 5) and Powell's BOBYQA for several (Powell
 * 2009, Cambridge NA Report 2009/06), both from commons-math3. The best point evaluated is
 * returned even when the evaluation budget runs out, so fitting time is bounded.
 */
public final class ParameterFitter {
  private ParameterFitter() {}

  /** Minimises {@code loss} within [lower, upper] from {@code start}; returns the best point. */
  public static double[] minimise(ToDoubleFunction<double[]> loss, double[] start, double[] lower,
      double[] upper, int maxEvaluations) {
    final Best best = new Best(start.length);
    if (start.length == 1) {
      final BrentOptimizer brent = new BrentOptimizer(1e-3, 1e-4);
      try {
        brent.optimize(new MaxEval(maxEvaluations), GoalType.MINIMIZE,
            new SearchInterval(lower[0], upper[0], start[0]),
            new UnivariateObjectiveFunction(a -> best.eval(loss, new double[] {a})));
      } catch (MathIllegalStateException | MathIllegalArgumentException e) {
        // budget exhausted or a failed trust-region step: keep the best point seen
      }
    } else {
      double minRange = Double.MAX_VALUE;
      for (int i = 0; i < start.length; i++) {
        minRange = Math.min(minRange, upper[i] - lower[i]);
      }
      final BOBYQAOptimizer bobyqa =
          new BOBYQAOptimizer(2 * start.length + 1, Math.min(0.1, 0.45 * minRange), 1e-3);
      try {
        bobyqa.optimize(new MaxEval(maxEvaluations), GoalType.MINIMIZE,
            new InitialGuess(start), new SimpleBounds(lower, upper),
            new ObjectiveFunction(p -> best.eval(loss, p)));
      } catch (MathIllegalStateException | MathIllegalArgumentException e) {
        // budget exhausted or a failed trust-region step: keep the best point seen
      }
    }
    if (best.point == null) {
      return start.clone();
    }
    return best.point;
  }

  /** Remembers the best evaluated point. */
  private static final class Best {
    double value = Double.POSITIVE_INFINITY;
    double[] point;

    Best(int dims) {}

    double eval(ToDoubleFunction<double[]> loss, double[] p) {
      final double v = loss.applyAsDouble(p);
      if (v < value) {
        value = v;
        point = p.clone();
      }
      return Double.isFinite(v) ? v : Double.MAX_VALUE;
    }
  }
}
