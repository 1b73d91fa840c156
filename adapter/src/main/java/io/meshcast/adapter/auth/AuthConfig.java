package io.meshcast.adapter.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.tls.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of the delegated-authentication settings that kube-apiserver publishes in
 * ConfigMap {@code kube-system/extension-apiserver-authentication} (k8s-metrics-api.md §4.4).
 *
 * <p>{@code requestHeaderCas} empty disables front-proxy (request-header) authentication; {@code
 * clientCas} empty disables x509 client-certificate authentication. {@code allowedNames} empty
 * means any CN signed by the front-proxy CA is accepted (apiserver semantics). Header names are
 * stored lower-case (HTTP header names are case-insensitive).
 */
public record AuthConfig(
    List<X509Certificate> requestHeaderCas,
    List<String> allowedNames,
    List<String> usernameHeaders,
    List<String> uidHeaders,
    List<String> groupHeaders,
    List<String> extraHeaderPrefixes,
    List<X509Certificate> clientCas) {

  public static final String CONFIGMAP_NAMESPACE = "kube-system";
  public static final String CONFIGMAP_NAME = "extension-apiserver-authentication";

  static final String KEY_CLIENT_CA = "client-ca-file";
  static final String KEY_REQUESTHEADER_CA = "requestheader-client-ca-file";
  static final String KEY_ALLOWED_NAMES = "requestheader-allowed-names";
  static final String KEY_USERNAME_HEADERS = "requestheader-username-headers";
  static final String KEY_UID_HEADERS = "requestheader-uid-headers";
  static final String KEY_GROUP_HEADERS = "requestheader-group-headers";
  static final String KEY_EXTRA_PREFIXES = "requestheader-extra-headers-prefix";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** No CA at all: only bearer tokens (and anonymous health probes) can authenticate. */
  public static final AuthConfig EMPTY =
      new AuthConfig(
          List.of(), List.of(), List.of("x-remote-user"), List.of("x-remote-uid"),
          List.of("x-remote-group"), List.of("x-remote-extra-"), List.of());

  public AuthConfig {
    requestHeaderCas = List.copyOf(requestHeaderCas);
    allowedNames = List.copyOf(allowedNames);
    usernameHeaders = lower(usernameHeaders);
    uidHeaders = lower(uidHeaders);
    groupHeaders = lower(groupHeaders);
    extraHeaderPrefixes = lower(extraHeaderPrefixes);
    clientCas = List.copyOf(clientCas);
  }

  /**
   * Parses the ConfigMap's {@code data}. Missing keys fall back to apiserver defaults (no CA, the
   * {@code X-Remote-*} header names); present but malformed values are errors.
   *
   * @throws IllegalArgumentException naming the key and the problem
   */
  public static AuthConfig fromConfigMapData(Map<String, String> data) {
    Objects.requireNonNull(data, "data");
    List<X509Certificate> requestHeaderCas = certificates(data, KEY_REQUESTHEADER_CA);
    List<String> usernameHeaders = strings(data, KEY_USERNAME_HEADERS, List.of("x-remote-user"));
    if (!requestHeaderCas.isEmpty() && usernameHeaders.isEmpty()) {
      // apiserver: "requestheader-username-headers must be specified" when the CA is set.
      throw new IllegalArgumentException(
          KEY_USERNAME_HEADERS + " must not be empty when " + KEY_REQUESTHEADER_CA + " is set");
    }
    return new AuthConfig(
        requestHeaderCas,
        strings(data, KEY_ALLOWED_NAMES, List.of()),
        usernameHeaders,
        strings(data, KEY_UID_HEADERS, List.of("x-remote-uid")),
        strings(data, KEY_GROUP_HEADERS, List.of("x-remote-group")),
        strings(data, KEY_EXTRA_PREFIXES, List.of("x-remote-extra-")),
        certificates(data, KEY_CLIENT_CA));
  }

  /** Whether {@code headerName} is one this config would read identity from (any case). */
  boolean isIdentityHeader(String headerName) {
    String h = headerName.toLowerCase(Locale.ROOT);
    if (usernameHeaders.contains(h) || uidHeaders.contains(h) || groupHeaders.contains(h)) {
      return true;
    }
    for (String prefix : extraHeaderPrefixes) {
      if (h.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static List<X509Certificate> certificates(Map<String, String> data, String key) {
    String pem = data.get(key);
    if (pem == null || pem.isBlank()) {
      return List.of();
    }
    try {
      return CertificateAuthority.parsePemBundle(pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  private static List<String> strings(Map<String, String> data, String key, List<String> dflt) {
    String raw = data.get(key);
    if (raw == null || raw.isBlank()) {
      return dflt;
    }
    try {
      String[] values = JSON.readValue(raw, String[].class);
      List<String> out = new ArrayList<>();
      for (String v : values) {
        if (v == null) {
          throw new IllegalArgumentException(key + ": null entry in " + raw);
        }
        if (!v.isEmpty()) {
          out.add(v);
        }
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          key + ": expected a JSON array of strings, got '" + raw + "'", e);
    }
  }

  private static List<String> lower(List<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }
}
