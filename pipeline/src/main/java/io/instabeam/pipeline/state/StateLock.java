package io.instabeam.pipeline.state;

import io.instabeam.pipeline.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A lease next to the state file ({@code STATE.lock}) so that two runs of one job never interleave their state: a
 * run takes it before reading the state and gives it back when it ends. A lease older than its expiry (a run that
 * was killed) is taken over with a warning.
 */
public final class StateLock implements AutoCloseable {
  static final Duration LEASE = Duration.ofHours(24);

  private final ResourceId lock;

  private StateLock(ResourceId lock) {
    this.lock = lock;
  }

  /** Takes the lease for {@code statePath}, or fails with a message saying who holds it. */
  public static StateLock acquire(String statePath, String runId, Instant now) {
    String path = statePath + ".lock";
    try {
      MatchResult match = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
      if (!match.metadata().isEmpty()) {
        String holder = read(match.metadata().get(0).resourceId());
        Instant expires = expiry(holder);
        if (expires == null || now.isBefore(expires)) {
          throw new ConfigException("another run holds the state lock " + path + " (" + holder.strip() + "); wait for "
              + "it to finish, or delete the lock file if no run is active");
        }
        org.slf4j.LoggerFactory.getLogger(StateLock.class)
            .warn("Taking over the expired state lock {} ({})", path, holder.strip());
      }
      ResourceId lock = FileSystems.matchNewResource(path, false);
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(lock, MimeTypes.TEXT))) {
        out.write(("run " + runId + " started " + now + " expires " + now.plus(LEASE) + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      return new StateLock(lock);
    } catch (IOException e) {
      throw ConfigException.of("state", statePath, "cannot create the lock " + path + " (" + e.getMessage()
          + "); check that the state's folder exists and is writable");
    }
  }

  private static String read(ResourceId resource) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Instant expiry(String holder) {
    int at = holder.indexOf(" expires ");
    try {
      return at < 0 ? null : Instant.parse(holder.substring(at + 9).strip());
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      FileSystems.delete(List.of(lock), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(StateLock.class).warn("Could not release the state lock {}", lock, e);
    }
  }
}
