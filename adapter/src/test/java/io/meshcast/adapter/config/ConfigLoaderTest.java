package io.meshcast.adapter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.config.KumaConfig.RegimeSetting;
import io.meshcast.adapter.config.PrometheusConfig.Method;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ConfigLoaderTest {

  @Test
  void minimalFile_getsDocumentedDefaults() {
    AdapterConfig c = ConfigLoader.parse("prometheus:\n  url: http://prom:9090\n");
    assertThat(c.prometheus().method()).isEqualTo(Method.AUTO);
    assertThat(c.prometheus().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.prometheus().maxResponseBytes()).isEqualTo(64L << 20);
    assertThat(c.refresh().interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.refresh().historyPoints()).isEqualTo(240);
    assertThat(c.refresh().bootstrapWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(c.refresh().bootstrapStep()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.kuma().regime()).isEqualTo(RegimeSetting.AUTO);
    assertThat(c.kuma().rateWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.kuma().podLabels()).containsExactly("app");
    assertThat(c.kuma().presets()).containsExactlyInAnyOrderElementsOf(ConfigLoader.PRESET_NAMES);
    assertThat(c.policyFor("kuma_rps").maxAge()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.policyFor("kuma_rps").onEmpty()).isEmpty();
    assertThat(c.policyFor("kuma_rps").onNaN()).isEmpty();
    assertThat(c.kubernetes().mode()).isEqualTo(KubernetesConfig.Mode.AUTO);
    assertThat(c.rules()).isEmpty();
  }

  @Test
  void sharding_defaultsOff_andParsesEveryKey() {
    ShardingConfig off = ConfigLoader.parse("prometheus:\n  url: http://prom:9090\n").sharding();
    assertThat(off).isEqualTo(ShardingConfig.disabled());
    assertThat(off.enabled()).isFalse();
    ShardingConfig on = ConfigLoader.parse("""
        prometheus: {url: "http://prom:9090"}
        sharding:
          enabled: true
          identity: meshcast-0
          namespace: kuma-metrics
          group: shop-adapter
          leaseDuration: 9s
          syncPeriod: 10s
        """).sharding();
    assertThat(on).isEqualTo(new ShardingConfig(true, java.util.Optional.of("meshcast-0"),
        java.util.Optional.of("kuma-metrics"), "shop-adapter", Duration.ofSeconds(9),
        Duration.ofSeconds(3), Duration.ofSeconds(10)));
  }

  @Test
  void shippedExample_isValidAndUsesEveryOption() throws IOException {
    String yaml;
    try (InputStream in = getClass().getResourceAsStream("/config/example.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    AdapterConfig c = ConfigLoader.parse(yaml);
    assertThat(c.prometheus().headers()).containsKey("X-Scope-OrgID");
    assertThat(c.policyFor("kuma_error_ratio").onNaN()).hasValue(0.0);
    assertThat(c.rules()).extracting(RuleConfig::name).contains("kuma_queue_depth");
  }

  @Test
  void shippedConfigMap_isValid() throws IOException {
    java.nio.file.Path cm = java.nio.file.Path.of("..", "manifests", "base", "configmap.yaml");
    com.fasterxml.jackson.databind.JsonNode doc =
        new com.fasterxml.jackson.databind.ObjectMapper(
            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(cm.toFile());
    AdapterConfig c = ConfigLoader.parse(doc.path("data").path("config.yaml").asText());
    assertThat(c.kubernetes().mode()).isEqualTo(KubernetesConfig.Mode.CLUSTER);
  }

  @Test
  void fullFile_isParsed() {
    AdapterConfig c = ConfigLoader.parse("""
        prometheus:
          url: https://mimir.example:8080/prometheus
          method: post
          timeout: 2500ms
          bearerTokenFile: /var/run/secrets/token
          tls: {caFile: /ca.pem, certFile: /c.pem, keyFile: /k.pem}
          headers: {X-Scope-OrgID: tenant-a}
        refresh: {interval: 30s, historyPoints: 10, bootstrapWindow: 1d, bootstrapStep: 1m}
        kuma: {regime: unified, rateWindow: 1m30s, mesh: default, podLabel: pod_name,
               podLabels: [app, version], presets: [kuma_rps]}
        metrics:
          default: {maxAge: 2m}
          kuma_rps: {onEmpty: {fallback: 0}, maxAge: 45s}
        rules:
          - name: queue
            query: sum by (namespace, pod) (queue_depth)
            resources: {namespaces: namespace, pods: pod}
            combine: sum
        kubernetes: {mode: none}
        server: {port: 6443}
        """);
    assertThat(c.prometheus().method()).isEqualTo(Method.POST);
    assertThat(c.prometheus().timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.kuma().rateWindow()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.policyFor("kuma_rps").onEmpty()).hasValue(0.0);
    assertThat(c.policyFor("kuma_rps").maxAge()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.policyFor("queue").maxAge()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.rules().get(0).resources()).containsEntry("pods", "pod");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "missing prometheus       | kuma: {regime: auto}                                    | prometheus: is required",
    "bad url                  | 'prometheus: {url: \"ftp://x\"}'                          | prometheus.url: invalid URL \"ftp://x\"",
    "bad duration             | 'prometheus: {url: \"http://p\", timeout: 5x}'            | prometheus.timeout: invalid duration \"5x\"",
    "unitless duration        | 'prometheus: {url: \"http://p\", timeout: 5}'             | prometheus.timeout: invalid duration 5: a unit is required",
    "typo key                 | 'prometheus: {url: \"http://p\", timout: 5s}'             | prometheus.timout: unknown key",
    "bad regime               | 'prometheus: {url: \"http://p\"}\nkuma: {regime: v3}'     | kuma.regime: invalid value \"v3\", expected one of [auto, legacy, meshmetric, unified]",
    "bad method               | 'prometheus: {url: \"http://p\", method: PUT}'            | prometheus.method: invalid value \"PUT\"",
    "cert without key         | 'prometheus: {url: \"http://p\", tls: {certFile: /c}}'    | prometheus.tls.keyFile: certFile and keyFile must be given together",
    "token and basic          | 'prometheus: {url: \"http://p\", bearerTokenFile: /t, basicAuth: {username: u, password: p}}' | prometheus.basicAuth: bearerTokenFile and basicAuth are mutually exclusive",
    "unknown metric policy    | 'prometheus: {url: \"http://p\"}\nmetrics: {kuma_rsp: {maxAge: 1m}}' | metrics.kuma_rsp: unknown metric \"kuma_rsp\"",
    "bad fallback             | 'prometheus: {url: \"http://p\"}\nmetrics: {default: {onNaN: zero}}' | metrics.default.onNaN: invalid value \"zero\"",
    "unknown preset           | 'prometheus: {url: \"http://p\"}\nkuma: {presets: [kuma_cpu]}' | kuma.presets[0]: unknown preset \"kuma_cpu\"",
    "rule without namespace   | 'prometheus: {url: \"http://p\"}\nrules: [{name: q, query: up, resources: {pods: pod}}]' | rules[0].resources: names a namespaced resource but no namespace label",
    "rule adapter template    | 'prometheus: {url: \"http://p\"}\nrules: [{name: q, query: \"sum(<<.Series>>)\", external: true}]' | rules[0].query: prometheus-adapter templates",
    "rule duplicate name      | 'prometheus: {url: \"http://p\"}\nrules: [{name: kuma_rps, query: up, external: true}]' | rules[0].name: duplicate metric name \"kuma_rps\"",
    "external upper case      | 'prometheus: {url: \"http://p\"}\nrules: [{name: QueueLen, query: up, external: true}]' | rules[0].name: external metric names must be lower case",
    "unknown top-level        | 'prometheus: {url: \"http://p\"}\nprometeus: {}'          | prometeus: unknown key",
    "too many bootstrap pts   | 'prometheus: {url: \"http://p\"}\nrefresh: {bootstrapWindow: 7d, bootstrapStep: 15s}' | refresh.bootstrapStep: too fine for bootstrapWindow 7d: 40320 points",
    "served above window cov  | 'prometheus: {url: \"http://p\"}\nrefresh: {minWindowCoverage: 0.6, minServedCoverage: 0.7}' | refresh.minServedCoverage: expected a share of the rate window in (0, minWindowCoverage = 0.6], found 0.7",
    "not yaml                 | 'prometheus: [url'                                        | not valid YAML",
    "sharding lease fraction  | 'prometheus: {url: \"http://p\"}\nsharding: {leaseDuration: 1500ms}' | sharding.leaseDuration: must be whole seconds",
    "sharding renew too slow  | 'prometheus: {url: \"http://p\"}\nsharding: {leaseDuration: 15s, renewPeriod: 6s}' | sharding.renewPeriod: must be at most a third of leaseDuration 15s",
    "sharding bad identity    | 'prometheus: {url: \"http://p\"}\nsharding: {identity: Meshcast_0}' | sharding.identity: invalid replica name \"Meshcast_0\"",
    "sharding bad group       | 'prometheus: {url: \"http://p\"}\nsharding: {group: \"a b\"}' | sharding.group: invalid label value \"a b\"",
    "sharding typo            | 'prometheus: {url: \"http://p\"}\nsharding: {enable: true}' | sharding.enable: unknown key",
  })
  void invalidFiles_failNamingKeyAndValue(String name, String yaml, String message) {
    assertThatThrownBy(() -> ConfigLoader.parse(yaml.replace("\\n", "\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void durations_acceptPrometheusSyntax() {
    for (String[] c : List.of(new String[] {"500ms", "PT0.5S"}, new String[] {"1h30m", "PT1H30M"},
        new String[] {"7d", "PT168H"}, new String[] {"1w", "PT168H"})) {
      AdapterConfig cfg = ConfigLoader.parse(
          "prometheus: {url: \"http://p\", timeout: " + c[0] + "}\n");
      assertThat(cfg.prometheus().timeout()).isEqualTo(Duration.parse(c[1]));
    }
  }
}
