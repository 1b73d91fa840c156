package io.meshcast.adapter.cli;

import io.meshcast.adapter.server.Adapter;
import io.meshcast.adapter.testing.Kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import picocli.CommandLine;

/**
 * The real composition root ({@code meshcast serve ...}) started in-process on a free port, with an
 * HTTPS client that accepts its self-signed certificate and a kubeconfig for the real kubectl.
 */
public final class RunningAdapter implements AutoCloseable {

  private final Adapter.Running running;
  private final HttpClient http;

  private RunningAdapter(Adapter.Running running) throws Exception {
    this.running = running;
    this.http = trustingClient();
  }

  /** An HTTPS client that accepts any server certificate (the adapter's is self-signed). */
  static HttpClient trustingClient() throws Exception {
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] c, String a) {}

      @Override
      public void checkServerTrusted(X509Certificate[] c, String a) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(30)).build();
  }

  /** Starts {@code serve} with the given flags plus a free port and no access log. */
  public static RunningAdapter start(String... flags) throws Exception {
    ServeCommand cmd = new ServeCommand();
    List<String> args = new ArrayList<>(List.of(flags));
    args.add("--secure-port=0");
    args.add("--no-access-log");
    new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
    Adapter.Running r = cmd.start().toCompletionStage().toCompletableFuture()
        .get(300, TimeUnit.SECONDS); // generous: a loaded machine
    return new RunningAdapter(r);
  }

  public int port() {
    return running.port();
  }

  public Adapter.Running running() {
    return running;
  }

  public String url(String path) {
    return "https://127.0.0.1:" + port() + path;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A kubeconfig pointing at this server (see {@link Kubectl#kubeconfig}). */
  public Path kubeconfig(Path dir) throws IOException {
    return Kubectl.kubeconfig(dir, port());
  }

  @Override
  public void close() {
    running.stop().run();
  }
}
