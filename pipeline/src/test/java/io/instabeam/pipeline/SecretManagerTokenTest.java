package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --accessTokenSecret}: the token read from Secret Manager's REST API (a local stand-in over
 * HTTP).
 */
class SecretManagerTokenTest {
  static final String NAME = "projects/p1/secrets/instagram/versions/latest";
  static final String TOKEN = "EAAGfromSecretManager0123";

  HttpServer server;
  String api;

  @BeforeEach
  void startSecretManager() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/",
        exchange -> {
          boolean known = exchange.getRequestURI().getPath().equals("/v1/" + NAME + ":access");
          String payload =
              Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
          byte[] body =
              (known
                      ? "{\"name\":\"" + NAME + "\",\"payload\":{\"data\":\"" + payload + "\"}}"
                      : "{\"error\":{\"code\":404,\"message\":\"Secret not found\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(known ? 200 : 404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    api = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void readsTheTokenFromTheSecretVersion() {
    assertEquals(
        TOKEN,
        SecretManagerToken.read(NAME, api, new NetHttpTransport().createRequestFactory()).value());
  }

  @Test
  void anUnknownSecretIsAConfigErrorThatNamesTheOptionAndTheRole() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                SecretManagerToken.read(
                    "projects/p1/secrets/other/versions/1",
                    api,
                    new NetHttpTransport().createRequestFactory()));
    assertTrue(
        e.getMessage().contains("--accessTokenSecret=")
            && e.getMessage().contains("HTTP 404")
            && e.getMessage().contains("secretAccessor"),
        e.getMessage());
    assertFalse(e.getMessage().contains(TOKEN));
  }

  @Test
  void aMalformedNameIsRefusedBeforeAnyRequest() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> SecretManagerToken.validate("instagram-token"));
    assertTrue(
        e.getMessage().contains("projects/PROJECT/secrets/SECRET/versions/VERSION"),
        e.getMessage());
  }
}
