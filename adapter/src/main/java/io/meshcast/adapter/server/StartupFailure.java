package io.meshcast.adapter.server;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a failed start into the one line {@code meshcast serve} prints before exiting. */
public final class StartupFailure {
  private StartupFailure() {}

  /** The innermost meaningful message, on one line. */
  public static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null || t.getMessage().isBlank() ? t.toString() : t.getMessage();
    return m.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * A failure to listen, naming the address, the port and the flag that changes it. Netty and
   * the JDK word the same errno differently ("bind(..) failed: Address already in use", "Address
   * already in use"), so the text is matched, not the exception type.
   */
  public static IllegalStateException listen(Throwable e, String address, int port) {
    String reason = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    String where = address + ":" + port;
    String message;
    if (reason.contains("already in use")) {
      message = "port " + port + " on " + address + " is already in use by another process "
          + "(choose another port with --secure-port, or stop the other process)";
    } else if (reason.contains("cannot assign requested address")) {
      message = "--bind-address " + address + " is not an address of this machine (cannot listen "
          + "on " + where + "; use 127.0.0.1, 0.0.0.0 or one of this host's addresses)";
    } else if (reason.contains("permission denied")) {
      message = "cannot listen on " + where + ": permission denied (ports below 1024 need root "
          + "or CAP_NET_BIND_SERVICE; choose another port with --secure-port)";
    } else {
      message = "cannot listen on " + where + ": " + e.getMessage()
          + " (change with --bind-address / --secure-port)";
    }
    return new IllegalStateException(message, e);
  }
}
