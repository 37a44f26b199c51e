package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The Cloud Storage emulator that {@code .ci/gcs-emulator} starts (fake-gcs-server), at {@code
 * STORAGE_EMULATOR_HOST}. Tests reach it over its JSON API with a plain HTTP client, independent of
 * the client the job uses. Without the emulator a gs:// test is skipped, saying why; in CI ({@code
 * CI=true}) it fails instead, so CI cannot pass without it.
 */
public final class GcsEmulator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final String url;

  private GcsEmulator(String url) {
    this.url = url;
  }

  /** The running emulator; skips the test (fails it in CI) if there is none. */
  public static GcsEmulator require() {
    String host = System.getenv("STORAGE_EMULATOR_HOST");
    if (host == null || host.isBlank()) {
      unavailable("STORAGE_EMULATOR_HOST is not set");
    }
    GcsEmulator emulator =
        new GcsEmulator((host.contains("://") ? host : "http://" + host).replaceAll("/+$", ""));
    try {
      emulator.send(
          HttpRequest.newBuilder(URI.create(emulator.url + "/storage/v1/b?project=test")).GET());
    } catch (RuntimeException e) {
      unavailable("nothing answers at STORAGE_EMULATOR_HOST=" + host + " (" + e.getMessage() + ")");
    }
    return emulator;
  }

  private static void unavailable(String why) {
    String message =
        "no Cloud Storage emulator for the gs:// tests: "
            + why
            + "; start one with "
            + "eval \"$(.ci/gcs-emulator start)\"";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + " (CI runs these tests: .ci/run starts it)");
    }
    Assumptions.assumeTrue(false, message);
  }

  /**
   * The job's options that point Beam's Cloud Storage client at the emulator, without credentials.
   */
  public List<String> jobOptions() {
    return List.of(
        "--gcsEndpoint=" + url + "/storage/v1/",
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory");
  }

  /** Creates a bucket of its own for a test (the emulator lives for the whole build). */
  public String newBucket(String purpose) {
    String name = purpose + "-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
    send(
        HttpRequest.newBuilder(URI.create(url + "/storage/v1/b?project=test"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
    return name;
  }

  public void put(String bucket, String object, String text) {
    send(
        HttpRequest.newBuilder(
                URI.create(
                    url
                        + "/upload/storage/v1/b/"
                        + bucket
                        + "/o?uploadType=media&name="
                        + encode(object)))
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  /** The object's text, or null if there is none. */
  public String get(String bucket, String object) {
    HttpResponse<String> response =
        exchange(
            HttpRequest.newBuilder(
                    URI.create(
                        url + "/storage/v1/b/" + bucket + "/o/" + encode(object) + "?alt=media"))
                .GET());
    return response.statusCode() == 404 ? null : checked(response).body();
  }

  /** Every object under {@code prefix} with its text, by name relative to the prefix. */
  public Map<String, String> snapshot(String bucket, String prefix) {
    Map<String, String> objects = new TreeMap<>();
    String page = "";
    do {
      JsonNode list =
          json(
              send(
                  HttpRequest.newBuilder(
                          URI.create(
                              url
                                  + "/storage/v1/b/"
                                  + bucket
                                  + "/o?prefix="
                                  + encode(prefix)
                                  + (page.isEmpty() ? "" : "&pageToken=" + encode(page))))
                      .GET()));
      for (JsonNode item : list.path("items")) {
        String name = item.path("name").asText();
        objects.put(name.substring(prefix.length()), get(bucket, name));
      }
      page = list.path("nextPageToken").asText("");
    } while (!page.isEmpty());
    return objects;
  }

  private String send(HttpRequest.Builder request) {
    return checked(exchange(request)).body();
  }

  private static HttpResponse<String> checked(HttpResponse<String> response) {
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          "emulator answered " + response.statusCode() + ": " + response.body());
    }
    return response;
  }

  private static HttpResponse<String> exchange(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
