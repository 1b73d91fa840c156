/**
 * The transport: X.509 helpers on BouncyCastle (the self-signed serving certificate generated at
 * startup, {@link io.meshcast.adapter.tls.SelfSignedCertificates}, and an in-memory CA that issues
 * client and server certificates, {@link io.meshcast.adapter.tls.CertificateAuthority}, used by
 * the auth tests), the serving certificate and its reload ({@link
 * io.meshcast.adapter.tls.ServingCertificate}), and the server's hardening: TLS versions and
 * client-certificate handling ({@link io.meshcast.adapter.tls.AuthTls}) and the deadline for a
 * complete request head ({@link io.meshcast.adapter.tls.HeaderDeadline}).
 */
package io.meshcast.adapter.tls;
