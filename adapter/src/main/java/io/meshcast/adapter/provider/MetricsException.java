package io.meshcast.adapter.provider;

/**
 * Failures a provider reports; the HTTP layer maps each subclass to one Kubernetes {@code Status}
 * code. Messages are shown to users ({@code kubectl describe hpa}), so they name the metric, the
 * object and the reason.
 */
public abstract sealed class MetricsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  MetricsException(String message) {
    super(message, null, false, false);
  }

  /** HTTP status code of the Kubernetes Status this failure becomes. */
  public abstract int code();

  /** Kubernetes {@code reason} of the Status this failure becomes. */
  public abstract String reason();

  /** 404: unknown metric or object. */
  public static final class NotFound extends MetricsException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
      super(message);
    }

    /** The reference adapter's wording: "the server could not find the metric M for R[ name]". */
    public static NotFound metric(String metric, String resource, String name) {
      return new NotFound(
          "the server could not find the metric "
              + metric
              + " for "
              + resource
              + (name == null || name.isEmpty() ? "" : " " + name));
    }

    @Override
    public int code() {
      return 404;
    }

    @Override
    public String reason() {
      return "NotFound";
    }
  }

  /** 400: a request the provider cannot interpret (e.g. a selector on an unknown label). */
  public static final class BadRequest extends MetricsException {
    private static final long serialVersionUID = 1L;

    public BadRequest(String message) {
      super(message);
    }

    @Override
    public int code() {
      return 400;
    }

    @Override
    public String reason() {
      return "BadRequest";
    }
  }

  /** 503: the data exists but cannot be trusted now (stale, source down, not yet loaded). */
  public static final class Unavailable extends MetricsException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message) {
      super(message);
    }

    @Override
    public int code() {
      return 503;
    }

    @Override
    public String reason() {
      return "ServiceUnavailable";
    }
  }
}
