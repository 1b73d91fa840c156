package io.meshcast.loadtest.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.ExternalMetricInfo;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.provider.MetricsException;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The experiment must answer exactly as the adapter's provider, or its numbers mean nothing. */
final class IndexedExperimentProviderTest {

  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void everyMixQuery_answersLikeInMemoryMetricsProvider() {
    SyntheticMesh.Table mesh = SyntheticMesh.generate(3000, 7, 0, T);
    InMemoryMetricsProvider reference = new InMemoryMetricsProvider();
    reference.publish(mesh.objects(), mesh.externals());
    IndexedExperimentProvider indexed = new IndexedExperimentProvider();
    indexed.publish(mesh.objects(), mesh.externals());
    LabelSelector all = LabelSelector.everything();
    for (SyntheticMesh.Service s : mesh.services()) {
      LabelSelector app = LabelSelector.ofEquals(Map.of("app", s.name()));
      for (String metric : SyntheticMesh.POD_METRICS) {
        CustomMetricInfo pods = new CustomMetricInfo(GroupResource.PODS, true, metric);
        assertThat(indexed.metricsBySelector(s.namespace(), app, pods, all))
            .isEqualTo(reference.metricsBySelector(s.namespace(), app, pods, all));
      }
      for (String metric : SyntheticMesh.SERVICE_METRICS) {
        for (GroupResource r : new GroupResource[] {GroupResource.SERVICES,
            GroupResource.DEPLOYMENTS}) {
          CustomMetricInfo info = new CustomMetricInfo(r, true, metric);
          if (s.complete()) {
            assertThat(indexed.metricByName(s.namespace(), s.name(), info, all))
                .isEqualTo(reference.metricByName(s.namespace(), s.name(), info, all));
          }
        }
        LabelSelector svc = LabelSelector.ofEquals(Map.of("service", s.name()));
        ExternalMetricInfo ext = new ExternalMetricInfo(metric);
        assertThat(indexed.externalMetric(s.namespace(), svc, ext))
            .isEqualTo(reference.externalMetric(s.namespace(), svc, ext));
      }
    }
    assertThat(indexed.listAllMetrics()).containsExactlyInAnyOrderElementsOf(
        reference.listAllMetrics());
    assertThat(indexed.listAllExternalMetrics()).containsExactlyInAnyOrderElementsOf(
        reference.listAllExternalMetrics());
  }

  @Test
  void unknownMetricOrObject_isNotFoundLikeTheReference() {
    SyntheticMesh.Table mesh = SyntheticMesh.generate(100, 7, 0, T);
    IndexedExperimentProvider indexed = new IndexedExperimentProvider();
    indexed.publish(mesh.objects(), mesh.externals());
    CustomMetricInfo known = new CustomMetricInfo(GroupResource.SERVICES, true, "kuma_rps");
    assertThatThrownBy(() -> indexed.metricByName("mesh-0", "nope", known,
        LabelSelector.everything())).isInstanceOf(MetricsException.NotFound.class);
    assertThatThrownBy(() -> indexed.externalMetric("mesh-0", LabelSelector.everything(),
        new ExternalMetricInfo("nope"))).isInstanceOf(MetricsException.NotFound.class);
  }
}
