package io.meshcast.adapter.auth;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/** fabric8 clients for the mock server. */
final class MockClients {
  private MockClients() {}

  /**
   * A client that does not retry 5xx answers, so error paths are observable, with a generous
   * request timeout: the mock server shares a loaded machine with the test.
   */
  static KubernetesClient noRetries(KubernetesMockServer server) {
    KubernetesClient base = server.createClient();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(base.getConfiguration()).withRequestRetryBackoffLimit(0)
                    .withRequestTimeout(120_000).build())
            .build();
    base.close();
    return client;
  }
}
