package io.meshcast.adapter.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Outbound cluster names of every regime (kuma-metrics.md §3.1) to the service they name. */
final class ServiceRefTest {

  @Test
  void clusterNames_ofEveryRegime() {
    assertThat(ServiceRef.ofCluster("backend_kuma-demo_svc_3001"))
        .contains(new ServiceRef("kuma-demo", "backend"));
    assertThat(ServiceRef.ofCluster("default_other-meshservice-http_other-ns_zone-1_msvc_27777"))
        .contains(new ServiceRef("other-ns", "other-meshservice-http"));
    assertThat(ServiceRef.ofCluster("default_backend___msvc_80"))
        .contains(new ServiceRef("", "backend"));
    assertThat(ServiceRef.ofCluster("kri_msvc_default_us-east-2_kuma-demo_demo-app_http"))
        .contains(new ServiceRef("kuma-demo", "demo-app"));
    assertThat(ServiceRef.ofCluster("kri_mzsvc_default___global-svc_80"))
        .contains(new ServiceRef("", "global-svc"));
  }

  @Test
  void splitClusters_nameTheirService() {
    assertThat(ServiceRef.ofCluster("backend_kuma-demo_svc_3001-0123456789abcdef"))
        .contains(new ServiceRef("kuma-demo", "backend"));
  }

  @Test
  void nonServiceClusters_nameNothing() {
    for (String c : new String[] {"localhost_8080", "self_inbound_dp_http", "kuma_envoy_admin",
        "kri_extsvc_default___example_9000", "ads_cluster", "backend_kuma-demo_svc",
        "backend_kuma-demo_svc_3001_othermesh"}) {
      assertThat(ServiceRef.ofCluster(c)).as(c).isEmpty();
    }
  }

  @Test
  void callers_fromTheServiceTagOrTheWorkload() {
    assertThat(ServiceRef.ofCaller("frontend_shop_svc_80", null, false))
        .contains(new ServiceRef("shop", "frontend"));
    assertThat(ServiceRef.ofCaller("frontend_shop_svc", null, false))
        .contains(new ServiceRef("shop", "frontend"));
    assertThat(ServiceRef.ofCaller("universal-web", null, false))
        .contains(new ServiceRef("", "universal-web"));
    assertThat(ServiceRef.ofCaller("frontend", "shop", true))
        .contains(new ServiceRef("shop", "frontend"));
    assertThat(ServiceRef.ofCaller("", "shop", true)).isEqualTo(Optional.empty());
  }
}
