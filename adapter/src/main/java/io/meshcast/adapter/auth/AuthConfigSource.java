package io.meshcast.adapter.auth;

import java.util.Objects;

/**
 * Where the authenticator reads the current {@link AuthConfig}. Implementations publish a new
 * immutable snapshot atomically (CA rotation takes effect on the next request, no restart and no
 * TLS reload). Thread-safe; {@link #current()} never blocks and never returns null.
 */
@FunctionalInterface
public interface AuthConfigSource {

  AuthConfig current();

  /** A source that never changes (tests, and static configuration). */
  static AuthConfigSource fixed(AuthConfig config) {
    Objects.requireNonNull(config, "config");
    return () -> config;
  }
}
