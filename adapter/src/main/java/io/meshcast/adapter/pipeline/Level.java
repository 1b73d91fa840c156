package io.meshcast.adapter.pipeline;

/** What one row of a metric definition's result describes. */
public enum Level {
  /** One Kuma service (served on services, deployments.apps and as an external metric). */
  SERVICE,
  /** One pod (served on pods). */
  POD,
  /** Whatever a custom rule's label mapping says. */
  CUSTOM;

  /** The {@code level} label value on meshcast's own metrics: lower case (docs/metrics.md). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
