package io.meshcast.adapter.provider;

import java.util.Objects;

/**
 * The Kubernetes object a custom metric describes ({@code describedObject} on the wire).
 *
 * @param kind the object's kind, e.g. {@code Pod}, {@code Service}, {@code Deployment}
 * @param namespace the namespace, or empty for root-scoped objects
 * @param name the object's name
 * @param apiVersion {@code v1} for core kinds, {@code group/version} otherwise
 */
public record ObjectReference(String kind, String namespace, String name, String apiVersion) {

  public ObjectReference {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(apiVersion, "apiVersion");
  }

  public static ObjectReference pod(String namespace, String name) {
    return new ObjectReference("Pod", namespace, name, "v1");
  }

  public static ObjectReference service(String namespace, String name) {
    return new ObjectReference("Service", namespace, name, "v1");
  }

  public static ObjectReference deployment(String namespace, String name) {
    return new ObjectReference("Deployment", namespace, name, "apps/v1");
  }

  public static ObjectReference namespace(String name) {
    return new ObjectReference("Namespace", "", name, "v1");
  }
}
