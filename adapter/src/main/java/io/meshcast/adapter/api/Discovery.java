package io.meshcast.adapter.api;

import io.meshcast.adapter.api.model.WireJson;
import io.meshcast.adapter.api.model.WireJson.ApiGroup;
import io.meshcast.adapter.api.model.WireJson.ApiResource;
import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricInfo;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Builds the discovery documents (k8s-metrics-api.md §2.2): the legacy {@code APIGroupList} at
 * {@code /apis} (never an aggregated v2 document, so the aggregator falls back to the
 * per-version lists), {@code APIGroup}s, and one {@code APIResourceList} per group version.
 *
 * <p>Two invariants the aggregator enforces are kept here: every resource sharing a parent has
 * the same {@code namespaced} value (otherwise the whole group version is dropped), and a list is
 * never empty (a placeholder is listed, as the reference framework does).
 */
final class Discovery {

  private static final Logger LOG = Logger.getLogger(Discovery.class.getName());

  static final ApiGroup CUSTOM =
      new ApiGroup(WireJson.CUSTOM_GROUP, List.of("v1beta2", "v1beta1"));
  static final ApiGroup EXTERNAL = new ApiGroup(WireJson.EXTERNAL_GROUP, List.of("v1beta1"));

  private static final byte[] GROUP_LIST = WireJson.apiGroupList(List.of(CUSTOM, EXTERNAL));
  private static final byte[] CUSTOM_GROUP = WireJson.apiGroup(CUSTOM);
  private static final byte[] EXTERNAL_GROUP = WireJson.apiGroup(EXTERNAL);

  private final CustomMetricsProvider custom;
  private final ExternalMetricsProvider external;

  Discovery(CustomMetricsProvider custom, ExternalMetricsProvider external) {
    this.custom = custom;
    this.external = external;
  }

  byte[] groupList() {
    return GROUP_LIST;
  }

  byte[] group(String name) {
    return name.equals(WireJson.CUSTOM_GROUP) ? CUSTOM_GROUP : EXTERNAL_GROUP;
  }

  byte[] resourceList(String group, String version) {
    String groupVersion = group + "/" + version;
    List<ApiResource> resources =
        group.equals(WireJson.CUSTOM_GROUP) ? customResources() : externalResources();
    return WireJson.apiResourceList(groupVersion, resources);
  }

  private List<ApiResource> customResources() {
    Map<String, Boolean> scopeByParent = new HashMap<>();
    Map<String, ApiResource> byName = new LinkedHashMap<>();
    for (CustomMetricInfo info : custom.listAllMetrics()) {
      String parent = info.groupResource().toString();
      Boolean scope = scopeByParent.putIfAbsent(parent, info.namespaced());
      if (scope != null && scope != info.namespaced()) {
        LOG.warning(
            () -> "discovery: dropping " + info + ": " + parent + " is already listed as "
                + (scope ? "namespaced" : "cluster-scoped"));
        continue;
      }
      String name = parent + "/" + info.metric();
      byName.putIfAbsent(name, new ApiResource(name, info.namespaced(), "MetricValueList"));
    }
    List<ApiResource> out = new ArrayList<>(byName.values());
    if (out.isEmpty()) {
      out.add(new ApiResource("custommetrics", true, "MetricValueList"));
    }
    return out;
  }

  private List<ApiResource> externalResources() {
    Map<String, ApiResource> byName = new LinkedHashMap<>();
    for (ExternalMetricInfo info : external.listAllExternalMetrics()) {
      byName.putIfAbsent(
          info.metric(), new ApiResource(info.metric(), true, "ExternalMetricValueList"));
    }
    List<ApiResource> out = new ArrayList<>(byName.values());
    if (out.isEmpty()) {
      out.add(new ApiResource("externalmetrics", true, "ExternalMetricValueList"));
    }
    return out;
  }
}
