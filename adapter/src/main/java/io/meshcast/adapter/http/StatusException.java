package io.meshcast.adapter.http;

import java.util.Objects;

/**
 * A failure that the HTTP layer renders as a Kubernetes {@code Status} object (kind Status,
 * apiVersion v1, status Failure) with HTTP status {@link #code()}.
 *
 * <p>Any handler (authentication, authorization, routing) fails a request with {@code
 * ctx.fail(new StatusException(...))}; one failure handler writes the JSON. {@code detailsName},
 * {@code detailsGroup} and {@code detailsKind} fill {@code details{name,group,kind}} when non-null
 * (the apiserver's 403 carries them).
 */
public final class StatusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final String detailsName;
  private final String detailsGroup;
  private final String detailsKind;

  public StatusException(int code, String reason, String message) {
    this(code, reason, message, null, null, null);
  }

  public StatusException(
      int code,
      String reason,
      String message,
      String detailsName,
      String detailsGroup,
      String detailsKind) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.code = code;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detailsName = detailsName;
    this.detailsGroup = detailsGroup;
    this.detailsKind = detailsKind;
  }

  public static StatusException badRequest(String message) {
    return new StatusException(400, "BadRequest", message);
  }

  public static StatusException notFound(String message) {
    return new StatusException(404, "NotFound", message);
  }

  /** The apiserver's authentication failure: always the bare message "Unauthorized". */
  public static StatusException unauthorized() {
    return new StatusException(401, "Unauthorized", "Unauthorized");
  }

  public static StatusException methodNotAllowed(String method) {
    return new StatusException(
        405, "MethodNotAllowed", "the server does not allow this method on the requested resource ("
            + method + ")");
  }

  public static StatusException unavailable(String message) {
    return new StatusException(503, "ServiceUnavailable", message);
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public String detailsName() {
    return detailsName;
  }

  public String detailsGroup() {
    return detailsGroup;
  }

  public String detailsKind() {
    return detailsKind;
  }
}
