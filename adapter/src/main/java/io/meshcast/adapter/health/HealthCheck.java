package io.meshcast.adapter.health;

import java.util.Objects;

/**
 * One named check behind {@code /livez}, {@code /readyz} and {@code /healthz}.
 *
 * <p>Checks are called on the event loop for every probe, so they must only read in-memory state
 * (a volatile flag, a snapshot's age) and return within microseconds.
 */
public interface HealthCheck {

  /** The check's name as it appears in {@code [+]name ok} and in {@code /readyz/name}. */
  String name();

  /** The current result. */
  Result check();

  /** The outcome of a check: healthy or not, and a detail shown with {@code ?verbose}. */
  record Result(boolean healthy, String detail) {
    public Result {
      Objects.requireNonNull(detail, "detail");
    }

    public static Result ok() {
      return new Result(true, "");
    }

    /** Healthy, with a note worth showing (e.g. "config reload failed, serving previous"). */
    public static Result ok(String detail) {
      return new Result(true, detail);
    }

    public static Result failed(String reason) {
      return new Result(false, reason);
    }
  }

  /** A check from a name and a supplier of results. */
  static HealthCheck of(String name, java.util.function.Supplier<Result> check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result check() {
        return check.get();
      }

      @Override
      public String toString() {
        return name + ": " + check.get(); // the state now, for assertion messages and logs
      }
    };
  }
}
