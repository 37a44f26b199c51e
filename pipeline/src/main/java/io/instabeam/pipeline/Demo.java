package io.instabeam.pipeline;

import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.graph.AccessToken;
import io.instabeam.transforms.Login;

/**
 * The {@code --demo} run: an embedded Graph API emulator on a loopback port, with a fixed seed, so
 * a newcomer sees every stream without a token. The job runs against it exactly as against Meta,
 * over Facebook Login or, with {@code --login=instagram}, over Instagram Login (the emulator's
 * Instagram host, the first account's token).
 */
final class Demo {
  static final String TOKEN = "demo-token";
  static final String INSTAGRAM_TOKEN = "IGAAdemo-token";

  private Demo() {}

  /**
   * The demo's data set: three accounts, 300 media each, three competitors and a personal profile.
   */
  static GraphApiEmulator.Builder emulator() {
    return GraphApiEmulator.builder()
        .seed(42)
        .accessToken(TOKEN)
        .instagramAccessToken(INSTAGRAM_TOKEN)
        .accounts(3)
        .pagesWithoutInstagram(1)
        .mediaPerAccount(300)
        .storiesPerAccount(5)
        .competitors(3);
  }

  static GraphApiEmulator start(InstabeamOptions options) {
    GraphApiEmulator emulator = emulator().build();
    emulator.start();
    options.setGraphApiUrl(
        instagramLogin(options) ? emulator.instagramBaseUrl() : emulator.baseUrl());
    if (options.getCompetitors() == null) {
      // Every profile the demo's Business Discovery knows, the personal one included: the run shows
      // its skip.
      options.setCompetitors(String.join(",", emulator.dataset().competitorUsernames()));
    }
    if (options.getNow() == null) {
      options.setNow(emulator.clock().now().toString());
    }
    return emulator;
  }

  /** The demo's token for the login the options ask for. */
  static AccessToken token(InstabeamOptions options) {
    return AccessToken.of(instagramLogin(options) ? INSTAGRAM_TOKEN : TOKEN);
  }

  private static boolean instagramLogin(InstabeamOptions options) {
    return Login.INSTAGRAM.optionValue().equals(options.getLogin());
  }
}
