package io.meshcast.adapter.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.meshcast.adapter.provider.LabelSelector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ClusterView} over fabric8 shared informers for pods, services and deployments in all
 * namespaces, and for namespaces. Lookups read the informer caches (no API calls on the request path). Informer
 * callbacks run on fabric8 threads and only update those caches.
 *
 * <p>Pod to Deployment follows the owner chain Pod → ReplicaSet → Deployment using the
 * ReplicaSet's name, which Kubernetes builds as {@code <deployment>-<pod-template-hash>}, and
 * checks that the Deployment exists; this avoids a fourth informer on ReplicaSets.
 */
public final class InformerClusterView implements ClusterView {

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<Namespace> namespaces;
  // Replaced after every informer event; fabric8 notifies handlers after updating its store, so a
  // reader that saw a token saw no store older than it.
  private volatile Object generation = new Object();

  private InformerClusterView(KubernetesClient client, Duration resync) {
    this.client = client;
    long r = resync.toMillis();
    this.pods = client.pods().inAnyNamespace().runnableInformer(r);
    this.services = client.services().inAnyNamespace().runnableInformer(r);
    this.deployments = client.apps().deployments().inAnyNamespace().runnableInformer(r);
    this.namespaces = client.namespaces().runnableInformer(r);
    List.of(pods, services, deployments, namespaces).forEach(i -> i.addEventHandler(bump()));
  }

  /**
   * Starts the informers; completes when all four have listed once.
   *
   * @param client owned by the caller, who closes it after {@link #close()}
   */
  public static Future<ClusterView> start(Vertx vertx, KubernetesClient client, Duration resync) {
    InformerClusterView v = new InformerClusterView(client, resync);
    return Future.all(
            Future.fromCompletionStage(v.pods.start(), vertx.getOrCreateContext()),
            Future.fromCompletionStage(v.services.start(), vertx.getOrCreateContext()),
            Future.fromCompletionStage(v.deployments.start(), vertx.getOrCreateContext()),
            Future.fromCompletionStage(v.namespaces.start(), vertx.getOrCreateContext()))
        .map(ignored -> (ClusterView) v)
        .recover(e -> {
          v.close();
          return Future.failedFuture(new IllegalStateException(
              "cannot list pods/services/deployments/namespaces from " + client.getMasterUrl() + ": "
                  + reason(e), e));
        });
  }

  /** The API server's own words (code and message) rather than the client's wrapping of them. */
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k
          && k.getStatus() != null && k.getStatus().getMessage() != null) {
        return k.getCode() + " " + k.getStatus().getMessage()
            + (k.getCode() == 403 ? " (meshcast's service account needs list and watch on them: "
                + "see manifests/)" : "");
      }
      if (t.getCause() == null) {
        return t.toString();
      }
    }
    return String.valueOf(e);
  }

  private <T> ResourceEventHandler<T> bump() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        generation = new Object();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        generation = new Object();
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        generation = new Object();
      }
    };
  }

  @Override
  public Object generation() {
    return generation;
  }

  @Override
  public boolean authoritative() {
    return true;
  }

  @Override
  public Optional<List<String>> pods(String namespace, LabelSelector selector) {
    return Optional.of(matching(pods, namespace, selector));
  }

  @Override
  public Optional<List<String>> services(String namespace, LabelSelector selector) {
    return Optional.of(matching(services, namespace, selector));
  }

  @Override
  public Optional<List<String>> deployments(String namespace, LabelSelector selector) {
    return Optional.of(matching(deployments, namespace, selector));
  }

  @Override
  public Optional<List<String>> namespaces(LabelSelector selector) {
    return Optional.of(matching(namespaces, "", selector));
  }

  @Override
  public List<String> servicesOfDeployment(String namespace, String deployment) {
    Deployment d = deployments.getStore().getByKey(namespace + "/" + deployment);
    if (d == null || d.getSpec() == null || d.getSpec().getTemplate() == null) {
      return List.of();
    }
    Map<String, String> podLabels = labels(d.getSpec().getTemplate().getMetadata());
    List<String> out = new ArrayList<>();
    for (Service s : services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
      Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
      // A selector-less Service (manual Endpoints) routes to nothing we can attribute.
      if (sel != null && !sel.isEmpty() && podLabels.entrySet().containsAll(sel.entrySet())) {
        out.add(s.getMetadata().getName());
      }
    }
    out.sort(null);
    return out;
  }

  @Override
  public Optional<String> deploymentOfPod(String namespace, String pod) {
    Pod p = pods.getStore().getByKey(namespace + "/" + pod);
    if (p == null) {
      return Optional.empty();
    }
    String hash = labels(p.getMetadata()).get("pod-template-hash");
    for (OwnerReference o : p.getMetadata().getOwnerReferences()) {
      if ("ReplicaSet".equals(o.getKind()) && hash != null && o.getName().endsWith("-" + hash)) {
        String name = o.getName().substring(0, o.getName().length() - hash.length() - 1);
        if (deployments.getStore().getByKey(namespace + "/" + name) != null) {
          return Optional.of(name);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public String describe() {
    boolean synced = pods.hasSynced() && services.hasSynced() && deployments.hasSynced()
        && namespaces.hasSynced();
    return "informers " + (synced ? "synced" : "syncing") + ": " + pods.getStore().list().size()
        + " pods, " + services.getStore().list().size() + " services, "
        + deployments.getStore().list().size() + " deployments, "
        + namespaces.getStore().list().size() + " namespaces";
  }

  @Override
  public Future<Void> close() {
    pods.close();
    services.close();
    deployments.close();
    namespaces.close();
    return Future.succeededFuture();
  }

  private static <T extends HasMetadata> List<String> matching(
      SharedIndexInformer<T> informer, String namespace, LabelSelector selector) {
    List<T> candidates = namespace.isEmpty() ? informer.getStore().list()
        : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    List<String> out = new ArrayList<>();
    for (T o : candidates) {
      if (selector.matches(labels(o.getMetadata()))) {
        out.add(o.getMetadata().getName());
      }
    }
    out.sort(null);
    return out;
  }

  private static Map<String, String> labels(io.fabric8.kubernetes.api.model.ObjectMeta m) {
    return m == null || m.getLabels() == null ? Map.of() : m.getLabels();
  }
}
