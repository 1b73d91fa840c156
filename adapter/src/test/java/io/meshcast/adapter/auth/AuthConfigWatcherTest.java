package io.meshcast.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshcast.adapter.testing.LogCapture;
import io.meshcast.adapter.tls.CertificateAuthority;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class AuthConfigWatcherTest {

  /** Generous wait for an event: reached only when something is broken. */
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private static final Instant NOW = Instant.now();
  private static final CertificateAuthority FRONT_PROXY_CA =
      CertificateAuthority.create("front-proxy-ca", NOW.minusSeconds(60), NOW.plusSeconds(3600));
  private static final CertificateAuthority CLIENT_CA =
      CertificateAuthority.create("kubernetes", NOW.minusSeconds(60), NOW.plusSeconds(3600));

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void setUp() throws Exception {
    // CRUD mode: a tiny in-memory API server with watch support.
    server = new KubernetesMockServer(
        new io.fabric8.mockwebserver.Context(), new io.fabric8.mockwebserver.MockWebServer(),
        new HashMap<>(), new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(),
        false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient();
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.destroy();
  }

  static Map<String, String> data(CertificateAuthority frontProxy) {
    Map<String, String> d = new HashMap<>();
    d.put("client-ca-file", CLIENT_CA.certificatePem());
    d.put("requestheader-client-ca-file", frontProxy.certificatePem());
    d.put("requestheader-allowed-names", "[\"front-proxy-client\"]");
    d.put("requestheader-username-headers", "[\"X-Remote-User\"]");
    d.put("requestheader-group-headers", "[\"X-Remote-Group\"]");
    d.put("requestheader-extra-headers-prefix", "[\"X-Remote-Extra-\"]");
    return d;
  }

  private ConfigMap configMap(Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata().withNamespace("kube-system")
        .withName("extension-apiserver-authentication").endMetadata()
        .withData(data).build();
  }

  @Test
  void parse_readsEveryKeyAndDefaultsMissingOnes() {
    AuthConfig c = AuthConfig.fromConfigMapData(data(FRONT_PROXY_CA));
    assertThat(c.requestHeaderCas()).containsExactly(FRONT_PROXY_CA.certificate());
    assertThat(c.clientCas()).containsExactly(CLIENT_CA.certificate());
    assertThat(c.allowedNames()).containsExactly("front-proxy-client");
    assertThat(c.usernameHeaders()).containsExactly("x-remote-user");
    assertThat(c.uidHeaders()).containsExactly("x-remote-uid"); // key absent: default
    assertThat(c.extraHeaderPrefixes()).containsExactly("x-remote-extra-");
    assertThat(AuthConfig.fromConfigMapData(Map.of())).isEqualTo(AuthConfig.EMPTY);
  }

  @Test
  void parse_malformedValues_nameTheKey() {
    Map<String, String> badNames = data(FRONT_PROXY_CA);
    badNames.put("requestheader-allowed-names", "front-proxy-client");
    assertThatThrownBy(() -> AuthConfig.fromConfigMapData(badNames))
        .hasMessageStartingWith("requestheader-allowed-names: expected a JSON array of strings");
    Map<String, String> badPem = data(FRONT_PROXY_CA);
    badPem.put("requestheader-client-ca-file", "-----BEGIN CERTIFICATE-----\nnope\n");
    assertThatThrownBy(() -> AuthConfig.fromConfigMapData(badPem))
        .hasMessageStartingWith("requestheader-client-ca-file: ");
    Map<String, String> noUser = data(FRONT_PROXY_CA);
    noUser.put("requestheader-username-headers", "[]");
    assertThatThrownBy(() -> AuthConfig.fromConfigMapData(noUser))
        .hasMessageContaining("requestheader-username-headers must not be empty");
  }

  @Test
  void watcher_appliesInitialConfig_thenRotation_andKeepsLastGoodOnBadUpdate() throws Exception {
    client.configMaps().inNamespace("kube-system").resource(configMap(data(FRONT_PROXY_CA)))
        .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    try (AuthConfigWatcher watcher = AuthConfigWatcher.create(client);
        LogCapture logs = LogCapture.of(AuthConfigWatcher.class)) {
      assertThat(watcher.current()).isEqualTo(AuthConfig.EMPTY);
      watcher.start().toCompletableFuture().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(watcher.hasSynced()).isTrue();
      assertThat(watcher.current().requestHeaderCas()).containsExactly(FRONT_PROXY_CA.certificate());

      // CA rotation: the new bundle carries old and new CA, as kube-apiserver does during rotation.
      CertificateAuthority next =
          CertificateAuthority.create("front-proxy-ca-2", NOW.minusSeconds(60), NOW.plusSeconds(3600));
      Map<String, String> rotated = data(FRONT_PROXY_CA);
      rotated.put("requestheader-client-ca-file",
          FRONT_PROXY_CA.certificatePem() + next.certificatePem());
      client.configMaps().inNamespace("kube-system").resource(configMap(rotated)).update();
      await(() -> watcher.current().requestHeaderCas().size() == 2);
      assertThat(watcher.current().requestHeaderCas())
          .containsExactly(FRONT_PROXY_CA.certificate(), next.certificate());

      Map<String, String> broken = data(next);
      broken.put("requestheader-allowed-names", "not json");
      client.configMaps().inNamespace("kube-system").resource(configMap(broken)).update();
      await(() -> watcher.lastError() != null);
      assertThat(watcher.lastError()).startsWith("requestheader-allowed-names");
      assertThat(watcher.current().requestHeaderCas()).hasSize(2); // last good kept

      client.configMaps().inNamespace("kube-system").withName("extension-apiserver-authentication")
          .delete();
      logs.await("was deleted", LIMIT); // the watcher saw the deletion
      assertThat(watcher.current().requestHeaderCas()).hasSize(2); // deletion keeps last good
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + LIMIT);
      }
      Thread.sleep(20);
    }
  }
}
