package io.meshcast.adapter.provider;

import java.util.Locale;
import java.util.Objects;

/**
 * A group-qualified plural resource as it appears in custom-metrics paths: {@code pods},
 * {@code deployments.apps}, {@code ingresses.networking.k8s.io}.
 *
 * <p>The string form is {@code resource} for the core group and {@code resource.group} otherwise;
 * {@link #parse} is its inverse and splits at the first dot, as apimachinery's
 * {@code ParseGroupResource} does. Resources are lower-cased because client-go lower-cases the
 * resource segment.
 */
public record GroupResource(String group, String resource) {

  public static final GroupResource PODS = new GroupResource("", "pods");
  public static final GroupResource SERVICES = new GroupResource("", "services");
  public static final GroupResource NAMESPACES = new GroupResource("", "namespaces");
  public static final GroupResource DEPLOYMENTS = new GroupResource("apps", "deployments");

  public GroupResource {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(resource, "resource");
    group = group.toLowerCase(Locale.ROOT);
    resource = resource.toLowerCase(Locale.ROOT);
  }

  /** Parses {@code resource[.group]}, splitting at the first dot. */
  public static GroupResource parse(String s) {
    int dot = s.indexOf('.');
    return dot < 0
        ? new GroupResource("", s)
        : new GroupResource(s.substring(dot + 1), s.substring(0, dot));
  }

  @Override
  public String toString() {
    return group.isEmpty() ? resource : resource + "." + group;
  }
}
