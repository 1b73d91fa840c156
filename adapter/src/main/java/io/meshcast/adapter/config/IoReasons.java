package io.meshcast.adapter.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * The operating system's reason an I/O operation on a file failed, in the words a user expects
 * ("no such file", "permission denied", "is a directory"), without repeating the path: the
 * caller's message names the file once.
 */
public final class IoReasons {
  private IoReasons() {}

  /** E.g. {@code no such file}, for {@code cannot read /x.yaml: no such file}. */
  public static String of(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    // Other file-system errors carry the OS text in getReason() ("Is a directory") and the path
    // in getMessage(); plain IOExceptions (e.g. from reading a directory) carry it in getMessage().
    String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
        : e.getMessage();
    if (reason == null || reason.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
  }
}
