package io.meshcast.adapter.auth;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Watches ConfigMap {@code kube-system/extension-apiserver-authentication} with a fabric8 informer
 * and publishes each valid version as an immutable {@link AuthConfig} snapshot.
 *
 * <p>Failure policy: a malformed update is logged and rejected (the last good snapshot stays, and
 * {@link #lastError()} reports why); a deleted ConfigMap also keeps the last good snapshot, as
 * apiserver's dynamic CA controllers do. Before the first sync the snapshot is {@link
 * AuthConfig#EMPTY}, so no certificate is trusted. Informer callbacks run on fabric8 threads and
 * only swap an {@link AtomicReference}. Needs RBAC {@code get,list,watch} on that ConfigMap (the
 * {@code extension-apiserver-authentication-reader} Role).
 */
public final class AuthConfigWatcher implements AuthConfigSource, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(AuthConfigWatcher.class.getName());

  private final AtomicReference<AuthConfig> current = new AtomicReference<>(AuthConfig.EMPTY);
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final SharedIndexInformer<ConfigMap> informer;

  private AuthConfigWatcher(KubernetesClient client) {
    this.informer =
        client
            .configMaps()
            .inNamespace(AuthConfig.CONFIGMAP_NAMESPACE)
            .withName(AuthConfig.CONFIGMAP_NAME)
            .runnableInformer(0);
    informer.addEventHandler(new Handler());
  }

  /**
   * Creates the watcher and starts its informer. The stage completes once the first list has been
   * applied (or fails if the API server cannot be listed, e.g. missing RBAC).
   */
  public static AuthConfigWatcher create(KubernetesClient client) {
    return new AuthConfigWatcher(Objects.requireNonNull(client, "client"));
  }

  /** Starts watching; completes on the first successful list+watch, with its result applied. */
  public CompletionStage<Void> start() {
    // The informer completes on its first list but hands events to the handler on another
    // thread, so current() could still be EMPTY when this completed (seen under load). Apply the
    // listed object here; the handler applying the same object again changes nothing.
    return informer.start().thenRun(() -> informer.getStore().list().forEach(this::apply));
  }

  @Override
  public AuthConfig current() {
    return current.get();
  }

  /** Whether the informer has completed its first list (readiness). */
  public boolean hasSynced() {
    return informer.hasSynced();
  }

  /** Why the most recent update was rejected, or null if it was accepted. */
  public String lastError() {
    return lastError.get();
  }

  @Override
  public void close() {
    informer.close();
  }

  void apply(ConfigMap configMap) {
    Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
    try {
      AuthConfig next = AuthConfig.fromConfigMapData(data);
      current.set(next);
      lastError.set(null);
      LOG.info("extension-apiserver-authentication resourceVersion "
          + configMap.getMetadata().getResourceVersion() + " applied: "
          + next.requestHeaderCas().size() + " front-proxy CA(s), allowed names "
          + next.allowedNames() + ", " + next.clientCas().size() + " client CA(s)");
    } catch (IllegalArgumentException e) {
      lastError.set(e.getMessage());
      LOG.severe("extension-apiserver-authentication resourceVersion "
          + configMap.getMetadata().getResourceVersion()
          + " rejected, keeping the previous configuration: " + e.getMessage());
    }
  }

  private final class Handler implements ResourceEventHandler<ConfigMap> {
    @Override
    public void onAdd(ConfigMap obj) {
      apply(obj);
    }

    @Override
    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
      apply(newObj);
    }

    @Override
    public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
      LOG.warning(
          "extension-apiserver-authentication was deleted; keeping the last configuration until it"
              + " is recreated");
    }
  }
}
