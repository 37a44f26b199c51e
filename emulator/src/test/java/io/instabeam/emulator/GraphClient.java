package io.instabeam.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Test-side HTTP client speaking to an emulator over real HTTP. */
final class GraphClient {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Reply(int status, HttpResponse<String> raw, JsonNode json) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    JsonNode error() {
      return json.path("error");
    }

    String body() {
      return raw.body();
    }
  }

  private final String base;
  private final String token;

  GraphClient(GraphApiEmulator emu) {
    this(emu.baseUrl(), emu.accessToken());
  }

  GraphClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  GraphClient withToken(String other) {
    return new GraphClient(base, other);
  }

  /**
   * GET base + path (path includes version and query, e.g. "/v23.0/me/accounts?limit=2"), Bearer
   * auth.
   */
  Reply get(String pathAndQuery) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(
                    base
                        + pathAndQuery.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")))
            .timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.GET().build());
  }

  Reply postForm(String path, String... keyValues) {
    StringBuilder form = new StringBuilder();
    for (int i = 0; i < keyValues.length; i += 2) {
      if (form.length() > 0) {
        form.append('&');
      }
      form.append(enc(keyValues[i])).append('=').append(enc(keyValues[i + 1]));
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = MAPPER.readTree(r.body());
      } catch (IOException ignored) {
        // non-JSON bodies (503 from the "proxy") stay null
      }
      return new Reply(r.statusCode(), r, json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
