package io.instabeam.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.graph.AccessToken;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiError;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.HttpWireLog;
import io.instabeam.transforms.Login;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code refresh-token} command: a long-lived Instagram-Login token expires 60 days after it
 * was issued or last refreshed, so it is refreshed ({@code GET
 * /refresh_access_token?grant_type=ig_refresh_token}, once it is at least 24 hours old) and the new
 * token replaces the old one in its {@code --accessTokenFile}. The new token is never printed or
 * logged; a token given any other way is not refreshed (the new one would have nowhere to go).
 */
final class TokenRefresh {
  private TokenRefresh() {}

  static void run(JobConfig job, String tokenFile, PrintStream out) {
    if (job.login() != Login.INSTAGRAM) {
      throw new ConfigException(
          "refresh-token refreshes Instagram-Login tokens ("
              + Login.INSTAGRAM_TOKEN_PREFIX
              + "…, --login=instagram); a Facebook-Login token is renewed by creating a new long-lived one (or use a "
              + "system-user token of the Business portfolio)");
    }
    Path file = writableTokenFile(tokenFile);
    JsonNode answer =
        new GraphApiClient(job.graph())
            .get(
                GraphRequest.get("refresh_access_token", null)
                    .with("grant_type", "ig_refresh_token"));
    String refreshed = answer.path("access_token").asText("");
    if (refreshed.isBlank()) {
      throw new GraphApiException(
          "Meta's refresh answer holds no access_token; the token in " + file + " is unchanged",
          GraphApiError.transport(200, "no access_token"));
    }
    HttpWireLog.protect(
        AccessToken.of(refreshed)); // masked wherever a later message might quote it
    replace(file, refreshed);
    Instant expires = job.now().plusSeconds(answer.path("expires_in").asLong(0));
    out.println(
        "refresh-token: refreshed the Instagram-Login token and wrote it to "
            + file
            + "; it expires "
            + expires
            + " (in "
            + Duration.between(job.now(), expires).toDays()
            + " days): refresh it again before "
            + "then, e.g. weekly from the scheduler");
  }

  /**
   * The token file, checked before refreshing: a token refreshed and then not saved would be lost.
   */
  private static Path writableTokenFile(String tokenFile) {
    if (tokenFile == null) {
      throw new ConfigException(
          "refresh-token writes the refreshed token back to the file it came from: give the "
              + "token with --accessTokenFile=PATH. For INSTAGRAM_ACCESS_TOKEN or --accessToken, put the token in a "
              + "file first and set the variable from it after the refresh; for --accessTokenSecret, write the secret "
              + "to a file, refresh it, then add the file as the secret's new version (gcloud secrets versions add "
              + "SECRET --data-file=PATH)");
    }
    Path file = Path.of(tokenFile).toAbsolutePath();
    Path folder = file.getParent();
    if (!Files.isWritable(file) || folder == null || !Files.isWritable(folder)) {
      throw ConfigException.of(
          "accessTokenFile",
          JobConfig.maskIfToken(tokenFile),
          "refresh-token needs to "
              + "replace the file, so the file and its folder must be writable");
    }
    return file;
  }

  /**
   * Replaces the file's first line with {@code token} at once (a new file moved over it), keeping
   * its permissions.
   */
  private static void replace(Path file, String token) {
    Path next = file.resolveSibling(file.getFileName() + ".refreshed");
    try {
      Files.deleteIfExists(next);
      Files.createFile(next);
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null) {
        Files.setPosixFilePermissions(next, posix.readAttributes().permissions());
      }
      Files.writeString(next, token + "\n");
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalStateException(
          "the token was refreshed but could not be written to "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "); its new value was not saved anywhere: refresh again once the file "
              + "can be written");
    }
  }
}
