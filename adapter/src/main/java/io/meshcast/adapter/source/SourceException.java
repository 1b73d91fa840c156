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
}
