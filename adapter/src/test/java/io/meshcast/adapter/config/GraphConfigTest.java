package io.meshcast.adapter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/** The graph: section: defaults, values, and errors that name the key. */
final class GraphConfigTest {

  static JsonNode yaml(String s) throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(s).get("graph");
  }

  @Test
  void absent_isOnWithDefaults() throws Exception {
    GraphConfig c = GraphConfig.parse(yaml("kuma: {}"));
    assertThat(c).isEqualTo(GraphConfig.defaults());
    assertThat(c.enabled()).isTrue();
    assertThat(c.propagate()).isTrue();
  }

  @Test
  void values_areRead() throws Exception {
    GraphConfig c = GraphConfig.parse(yaml("""
        graph:
          propagate: false
          callRatio: {alpha: 0.5, minSamples: 3, maxDispersion: 0.1, minCallerRps: 1}
        """));
    assertThat(c.propagate()).isFalse();
    assertThat(c.callRatio()).isEqualTo(new CallRatioSettings(0.5, 3, 0.1, 1));
    assertThat(GraphConfig.parse(yaml("graph: {enabled: false}")).propagate()).isFalse();
  }

  @Test
  void badInput_namesTheKey() {
    assertThatThrownBy(() -> GraphConfig.parse(yaml("graph: {enable: true}")))
        .hasMessageContaining("graph.enable: unknown key");
    assertThatThrownBy(() -> GraphConfig.parse(yaml("graph: {propagate: yes please}")))
        .hasMessageContaining("graph.propagate: must be true or false");
    assertThatThrownBy(() -> GraphConfig.parse(yaml("graph: {callRatio: {alpha: 2}}")))
        .hasMessageContaining("graph.callRatio.alpha must be in (0, 1], was 2.0");
    assertThatThrownBy(() -> GraphConfig.parse(yaml("graph: {callRatio: {minSamples: x}}")))
        .hasMessageContaining("graph.callRatio.minSamples: must be a number");
    assertThatThrownBy(() -> GraphConfig.parse(yaml("graph: {enabled: false, propagate: true}")))
        .hasMessageContaining("graph.propagate: needs graph.enabled: true");
  }
}
