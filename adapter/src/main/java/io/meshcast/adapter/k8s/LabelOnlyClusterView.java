package io.meshcast.adapter.k8s;

import io.meshcast.adapter.provider.LabelSelector;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link ClusterView} without a cluster: naming conventions only. */
enum LabelOnlyClusterView implements ClusterView {
  INSTANCE;

  /** {@code <deployment>-<pod-template-hash>-<5 chars>}; the hash is 6-10 alphanumerics. */
  private static final Pattern DEPLOYMENT_POD =
      Pattern.compile("(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}");

  /** Lookups depend on nothing but their arguments: one generation forever. */
  @Override
  public Object generation() {
    return this;
  }

  @Override
  public boolean authoritative() {
    return false;
  }

  @Override
  public Optional<List<String>> pods(String namespace, LabelSelector selector) {
    return Optional.empty();
  }

  @Override
  public Optional<List<String>> services(String namespace, LabelSelector selector) {
    return Optional.empty();
  }

  @Override
  public Optional<List<String>> deployments(String namespace, LabelSelector selector) {
    return Optional.empty();
  }

  @Override
  public Optional<List<String>> namespaces(LabelSelector selector) {
    return Optional.empty();
  }

  @Override
  public List<String> servicesOfDeployment(String namespace, String deployment) {
    return List.of(deployment);
  }

  @Override
  public Optional<String> deploymentOfPod(String namespace, String pod) {
    Matcher m = DEPLOYMENT_POD.matcher(pod);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  @Override
  public String describe() {
    return "no cluster: objects are mapped from metric labels";
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
