/**
 * The serving benchmark (issue 7): the adapter's HTTPS request path against a bare Vert.x HTTPS
 * endpoint measured in the same run, and a soak mode.
 *
 * <p>Entry points are the two picocli subcommands: {@link
 * io.meshcast.loadtest.serving.ServingBenchCommand serving-bench} (the harness, run through
 * {@code load-tests/scripts/serving-bench.sh}) and {@link
 * io.meshcast.loadtest.serving.ServingTargetCommand serving-target} (the server under test,
 * started by the harness in a child JVM so its RSS and heap are its own). Everything else is
 * package-private: the synthetic mesh and HPA request mix, the open-loop and closed-loop load
 * generator, the wrk runner, the child-process protocol and the report writers.
 *
 * <p>All servers bind 127.0.0.1; every phase is bounded in time and in request count; child
 * JVMs exit when the harness closes their stdin or dies.
 */
package io.meshcast.loadtest.serving;
