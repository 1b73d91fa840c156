package io.meshcast.adapter.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Kubernetes objects one result series describes, derived from its labels once per refresh.
 * Empty strings mean "not named by this series".
 *
 * @param namespace namespace of the objects
 * @param service Kubernetes Service name
 * @param deployment Deployment name, when the labels name it directly (custom rules)
 * @param pod Pod name
 * @param kumaService the Kuma service ({@code kuma.io/service} tag or workload)
 * @param labels the series' labels as returned by the query (for selector matching)
 * @param externalLabels labels served with the external metric
 */
public record SeriesIdentity(
    String namespace,
    String service,
    String deployment,
    String pod,
    String kumaService,
    Map<String, String> labels,
    Map<String, String> externalLabels) {

  public SeriesIdentity {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(kumaService, "kumaService");
    labels = Map.copyOf(labels);
    externalLabels = Map.copyOf(externalLabels);
  }

  /**
   * Names the objects of a result row from the labels mapped to resources ({@code resources} keys
   * as in rules: {@code namespaces}, {@code pods}, {@code services}, {@code deployments.apps};
   * values are label names). Every label but {@code __name__} is served with external metrics.
   */
  public static SeriesIdentity fromResourceLabels(Map<String, String> resources,
      Map<String, String> labels) {
    Map<String, String> ext = new LinkedHashMap<>(labels);
    ext.remove("__name__");
    return new SeriesIdentity(label(labels, resources.get("namespaces")),
        label(labels, resources.get("services")), label(labels, resources.get("deployments.apps")),
        label(labels, resources.get("pods")), "", labels, ext);
  }

  private static String label(Map<String, String> labels, String name) {
    return name == null ? "" : labels.getOrDefault(name, "");
  }
}
