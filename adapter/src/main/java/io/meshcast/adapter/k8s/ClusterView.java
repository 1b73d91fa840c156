package io.meshcast.adapter.k8s;

import io.meshcast.adapter.provider.LabelSelector;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * What the providers need to know about Kubernetes objects, answered from memory (informer caches
 * or nothing). Two implementations: {@link #labelOnly()} when there is no cluster (demo, tests),
 * and {@link InformerClusterView} backed by fabric8 informers. Thread-safe.
 */
public interface ClusterView {

  /** Whether answers come from a cluster; when false, callers map from metric labels alone. */
  boolean authoritative();

  /** Names of pods in {@code namespace} matching {@code selector}; empty when not authoritative. */
  Optional<List<String>> pods(String namespace, LabelSelector selector);

  /** Names of Services in {@code namespace} whose labels match; empty when not authoritative. */
  Optional<List<String>> services(String namespace, LabelSelector selector);

  /** Names of Deployments in {@code namespace} whose labels match; empty when not authoritative. */
  Optional<List<String>> deployments(String namespace, LabelSelector selector);

  /** Names of namespaces whose labels match; empty when not authoritative. */
  Optional<List<String>> namespaces(LabelSelector selector);

  /**
   * Services that route to a Deployment's pods (Service selector contained in the pod template's
   * labels). Without a cluster: the Service of the same name, the common convention.
   */
  List<String> servicesOfDeployment(String namespace, String deployment);

  /**
   * The Deployment owning a pod through its ReplicaSet. Without a cluster: the pod name minus its
   * two generated suffixes ({@code backend-6d9c8b7f4-x7k2p} to {@code backend}), when it has them.
   */
  Optional<String> deploymentOfPod(String namespace, String pod);

  /** One-line state for readiness, e.g. "informers synced: 3 pods, 2 services". */
  String describe();

  Future<Void> close();

  /**
   * A token that is replaced (a new object, compared by identity) whenever any lookup's answer
   * may have changed, so that answers built from lookups can be reused while it is the same;
   * {@code null}, the default, when that cannot be told (answers are then never reused).
   */
  default Object generation() {
    return null;
  }

  /** The mapping used without a cluster. */
  static ClusterView labelOnly() {
    return LabelOnlyClusterView.INSTANCE;
  }
}
