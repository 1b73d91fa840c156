package io.meshcast.adapter.source;

/**
 * A query that failed. {@link #kind()} tells the caller whether retrying can help; the message is
 * safe to show to users (it names the source and reason, never credentials).
 */
public final class SourceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Failure classes. */
  public enum Kind {
    /** Connection refused, reset or TLS failure. */
    UNREACHABLE,
    /** No answer within the timeout. */
    TIMEOUT,
    /** An HTTP status other than 200 (5xx, 429, auth failure...). */
    HTTP_STATUS,
    /** {@code "status":"error"} from the API (bad query, execution error). */
    QUERY_ERROR,
    /** A body that is not the documented JSON (malformed, wrong result type, too large). */
    BAD_RESPONSE
  }

  private final Kind kind;

  public SourceException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** The message of an answer refused for its size ({@code prometheus.maxResponseBytes}). */
  public static final String TOO_LARGE = "exceeds prometheus.maxResponseBytes";

  /** An answer larger than the limit, for callers that can ask for less (bootstrap slices). */
  public static SourceException tooLarge(long limit) {
    return new SourceException(Kind.BAD_RESPONSE, "response from Prometheus " + TOO_LARGE + " ("
        + limit + " bytes)");
  }

  /** Whether {@code e} is the failure of {@link #tooLarge(long)}. */
  public static boolean tooLarge(Throwable e) {
    return e instanceof SourceException s && s.kind == Kind.BAD_RESPONSE
        && String.valueOf(s.getMessage()).contains(TOO_LARGE);
  }
}
