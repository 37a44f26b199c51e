package io.instabeam.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import io.instabeam.graph.AccessToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Reads the access token from GCP Secret Manager ({@code
 * --accessTokenSecret=projects/P/secrets/S/versions/V}) with the application default credentials,
 * through the Secret Manager REST API.
 */
final class SecretManagerToken {
  static final String API = "https://secretmanager.googleapis.com/v1/";
  private static final String NAME = "projects/[^/\\s]+/secrets/[^/\\s]+/versions/[^/\\s]+";

  private SecretManagerToken() {}

  static AccessToken read(String name) {
    validate(name);
    try {
      GoogleCredentials credentials =
          GoogleCredentials.getApplicationDefault()
              .createScoped(List.of("https://www.googleapis.com/auth/cloud-platform"));
      return read(
          name,
          API,
          new NetHttpTransport().createRequestFactory(new HttpCredentialsAdapter(credentials)));
    } catch (IOException e) {
      throw ConfigException.of(
          "accessTokenSecret",
          name,
          "no Google credentials to read it ("
              + e.getMessage()
              + "); run `gcloud auth application-default login` or give the worker a service account");
    }
  }

  static void validate(String name) {
    if (name == null || !name.matches(NAME)) {
      throw ConfigException.of(
          "accessTokenSecret",
          JobConfig.maskIfToken(String.valueOf(name)),
          "use projects/PROJECT/secrets/SECRET/versions/VERSION (VERSION may be latest)");
    }
  }

  /** Reads secret version {@code name} from the Secret Manager API at {@code api}. */
  static AccessToken read(String name, String api, HttpRequestFactory http) {
    validate(name);
    try {
      HttpResponse response =
          http.buildGetRequest(new GenericUrl(api + name + ":access"))
              .setThrowExceptionOnExecuteError(false)
              .execute();
      String body = response.parseAsString();
      if (response.getStatusCode() != 200) {
        throw ConfigException.of(
            "accessTokenSecret",
            name,
            "Secret Manager answered HTTP "
                + response.getStatusCode()
                + "; check the name and that the credentials have roles/secretmanager.secretAccessor");
      }
      JsonNode json = new ObjectMapper().readTree(body);
      byte[] data = Base64.getDecoder().decode(json.path("payload").path("data").asText(""));
      return AccessToken.of(new String(data, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw ConfigException.of(
          "accessTokenSecret",
          name,
          "cannot read the secret ("
              + e.getClass().getSimpleName()
              + "); check the name, the network and the credentials");
    }
  }
}
