package io.instabeam.pipeline.lock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * A lock file on a local disk. Creating it is exclusive ({@code CREATE_NEW}: of two runs exactly
 * one succeeds). A local file has no version to make a change conditional on, so a change compares
 * the text first and then swaps the whole file in with an atomic move, which readers never see
 * half-written; only two runs acting on the same lock within that instant could both succeed.
 */
final class LocalLockStore implements LockStore {
  private final Path file;

  LocalLockStore(Path file) {
    this.file = file;
  }

  @Override
  public Stored read() throws IOException {
    try {
      Instant modified = Files.getLastModifiedTime(file).toInstant();
      return new Stored(Files.readString(file, StandardCharsets.UTF_8), 0, modified);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public Stored create(String text) throws IOException {
    try {
      Files.writeString(
          file,
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      return read();
    } catch (FileAlreadyExistsException e) {
      return null;
    }
  }

  @Override
  public Stored replace(Stored expected, String text) throws IOException {
    if (!unchanged(expected)) {
      return null;
    }
    // A name of its own: not the state's temporary files (STATE.*.tmp), which a run holding the
    // lock removes.
    Path next =
        Files.createTempFile(
            file.toAbsolutePath().getParent(), "." + file.getFileName() + "-", ".next");
    try {
      Files.writeString(next, text, StandardCharsets.UTF_8);
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(next);
    }
    return read();
  }

  @Override
  public boolean delete(Stored expected) throws IOException {
    return unchanged(expected) && Files.deleteIfExists(file);
  }

  private boolean unchanged(Stored expected) throws IOException {
    Stored now = read();
    return now != null && now.text().equals(expected.text());
  }

  @Override
  public String path() {
    return file.toString();
  }
}
