/**
 * Authentication and authorization of every request, as a k8s.io/apiserver-based aggregated API
 * server does it (k8s-metrics-api.md §4): front-proxy request headers trusted only behind a
 * verified front-proxy client certificate, x509 client certificates, TokenReview for bearer
 * tokens, SubjectAccessReview for authorization, all configured from the watched ConfigMap
 * {@code kube-system/extension-apiserver-authentication}.
 *
 * <p>Wiring (composition root): {@link io.meshcast.adapter.auth.AuthHandler#create} as the
 * router's first filter, after {@link io.meshcast.adapter.http.RequestInfo#HANDLER} has decoded
 * the request (the attributes are read from it: {@link
 * io.meshcast.adapter.auth.RequestAttributes#from}), fed by an {@link
 * io.meshcast.adapter.auth.AuthConfigWatcher}, {@link
 * io.meshcast.adapter.auth.Authenticator#delegating} and {@link
 * io.meshcast.adapter.auth.Authorizer#delegating}; or {@link
 * io.meshcast.adapter.auth.InsecureAuthn#handler} for {@code --insecure-authn}. Transport
 * hardening (TLS versions, the header deadline) is in {@code tls}.
 */
package io.meshcast.adapter.auth;
