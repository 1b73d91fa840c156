/**
 * Kubernetes object mapping answered from memory: {@link io.meshcast.adapter.k8s.ClusterView},
 * backed by fabric8 informers on pods, services and deployments, or by naming conventions alone
 * when there is no cluster.
 */
package io.meshcast.adapter.k8s;
