/**
 * The HTTP request model shared by every layer that handles a request (transport, authentication,
 * authorization, routing, the access log): {@link io.meshcast.adapter.http.StatusException}, the
 * failure any of them raises and one failure handler renders as a Kubernetes {@code Status}. A
 * leaf package: it depends on no other meshcast package, so {@code auth} and {@code api} can both
 * use it without needing each other.
 */
package io.meshcast.adapter.http;
