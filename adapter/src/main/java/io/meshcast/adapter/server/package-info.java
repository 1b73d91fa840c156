/**
 * The composition root of {@code meshcast serve}: {@link io.meshcast.adapter.server.Adapter}
 * wires every part (Kubernetes client, authentication, source, predictive layer, delegation,
 * HTTPS server) from settings the command line parsed and the configuration read once; {@code
 * Shutdown} stops them in order and {@code StartupFailure} turns start failures into one line.
 */
package io.meshcast.adapter.server;
