/**
 * X.509 helpers on BouncyCastle: the self-signed serving certificate generated at startup
 * ({@link io.meshcast.adapter.tls.SelfSignedCertificates}) and an in-memory CA that issues client
 * and server certificates ({@link io.meshcast.adapter.tls.CertificateAuthority}), used by the
 * auth tests to build front-proxy, client and deliberately broken certificates.
 */
package io.meshcast.adapter.tls;
