package io.meshcast.adapter.auth;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code --insecure-authn}: development without a cluster. Every request is the fixed user {@link
 * #DEV_USER} in {@code system:masters}; nothing is verified. Creating the handler logs a loud
 * warning every time. Never the default; never for a real cluster.
 */
public final class InsecureAuthn {

  private static final Logger LOG = Logger.getLogger(InsecureAuthn.class.getName());

  /** The identity every request gets in this mode. */
  public static final UserInfo DEV_USER =
      new UserInfo(
          "meshcast:insecure-dev", "", List.of(UserInfo.MASTERS_GROUP, UserInfo.AUTHENTICATED_GROUP),
          Map.of());

  private InsecureAuthn() {}

  /** An {@link AuthHandler} that lets everyone in as {@link #DEV_USER} (after a warning). */
  public static AuthHandler handler() {
    LOG.warning(
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
            + "!!  --insecure-authn: AUTHENTICATION AND AUTHORIZATION ARE DISABLED.                  !!\n"
            + "!!  Every caller is treated as " + DEV_USER.name() + " in system:masters.            !!\n"
            + "!!  Anyone who can reach this port can read every metric. Development only.         !!\n"
            + "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    Authenticator everyone = (peer, headers) -> Future.succeededFuture(DEV_USER);
    return new DefaultAuthHandler(
        AuthConfigSource.fixed(AuthConfig.EMPTY), everyone, Authorizer.allowAll());
  }
}
