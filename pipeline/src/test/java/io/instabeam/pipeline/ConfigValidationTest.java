package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.graph.AccessToken;
import io.instabeam.transforms.Login;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option is checked before any work: a bad one exits 2 with one line that names the option,
 * the bad value and the fix, and nothing is written. No emulator is needed: validation happens
 * before the first call.
 */
class ConfigValidationTest {
  static final String TOKEN = "EAAB-validation-secret-token";

  @TempDir Path tmp;

  static Stream<Arguments> badOptions() {
    return Stream.of(
        Arguments.of(
            List.of("--startDate=2025-01-01"), "--startDate=2025-01-01", "YYYY-MM-DDTHH:MM:SSZ"),
        Arguments.of(List.of("--startDate=2999-01-01T00:00:00Z"), "--startDate", "future"),
        Arguments.of(List.of("--streams=media,reels"), "unknown stream 'reels'", "user_insights"),
        Arguments.of(List.of("--sink=s3"), "--sink=s3", "files, bigquery"),
        Arguments.of(List.of("--format=csv"), "--format=csv", "jsonl, parquet"),
        Arguments.of(List.of("--sink=bigquery"), "--bigQueryDataset", "PROJECT:DATASET"),
        Arguments.of(
            List.of("--sink=bigquery", "--bigQueryDataset=p:instagram"),
            "--bigQueryDataset=p:instagram",
            "PROJECT:DATASET"),
        Arguments.of(
            List.of("--sink=bigquery", "--bigQueryDataset=my-project:instagram"),
            "--tempLocation",
            "gs://BUCKET/tmp"),
        Arguments.of(
            List.of("--format=parquet", "--syncMode=user_insights:incremental_append_deduped"),
            "incremental_append_deduped needs --format=jsonl",
            "incremental_append for Parquet"),
        Arguments.of(
            List.of("--syncMode=upsert"),
            "unknown sync mode 'upsert'",
            "incremental_append_deduped"),
        Arguments.of(
            List.of("--streams=users", "--syncMode=incremental_append"),
            "stream users supports only",
            "full_refresh_overwrite"),
        Arguments.of(
            List.of("--syncMode=story_insights:incremental_append_deduped"),
            "stream story_insights",
            "full_refresh"),
        Arguments.of(List.of("--mediaRefreshDays=0"), "--mediaRefreshDays=0", "1 to 365"),
        Arguments.of(List.of("--insightsMaxAgeDays=400"), "--insightsMaxAgeDays=400", "1 to 90"),
        Arguments.of(List.of("--lookbackDays=400"), "--lookbackDays=400", "0 to 90"),
        Arguments.of(
            List.of("--graphApiUrl=graph.facebook.com"),
            "--graphApiUrl",
            "https://graph.facebook.com"),
        Arguments.of(List.of("--apiVersion=23"), "--apiVersion=23", "v25.0"),
        Arguments.of(List.of("--metricSet=latest"), "--metricSet=latest", "current, airbyte"),
        Arguments.of(List.of("--maxAttempts=0"), "--maxAttempts=0", "greater than 0"),
        Arguments.of(
            List.of("--maxRequestsInFlight=0"), "--maxRequestsInFlight=0", "greater than 0"),
        Arguments.of(List.of("--usageCeilingPercent=150"), "--usageCeilingPercent=150", "1 to 100"),
        Arguments.of(List.of("--now=yesterday"), "--now=yesterday", "ISO-8601"),
        Arguments.of(
            List.of("--accessTokenSecret=my-secret"),
            "--accessTokenSecret=my-secret",
            "projects/PROJECT/secrets/SECRET/versions/VERSION"),
        Arguments.of(
            List.of("--syncMode=:incremental_append"),
            "--syncMode=:incremental_append",
            "STREAM:MODE"),
        Arguments.of(List.of("--noSuchOption=1"), "noSuchOption", "--help"),
        Arguments.of(List.of("--streams="), "--streams=", "names no stream"),
        Arguments.of(List.of("--streams=,,"), "--streams=,,", "names no stream"),
        Arguments.of(List.of("--progressSeconds=-5"), "--progressSeconds=-5", "0 for no progress"),
        Arguments.of(List.of("--login=twitter"), "--login=twitter", "auto, facebook, instagram"),
        Arguments.of(
            List.of("--accounts=17841400000000001,urban.bakery"),
            "'urban.bakery' is not an Instagram " + "account id",
            "numeric ids"),
        Arguments.of(List.of("--businessId=acme"), "--businessId=acme", "numeric id"),
        Arguments.of(
            List.of("--login=instagram", "--businessId=123"), "--businessId=123", "Facebook Login"),
        Arguments.of(
            List.of("--login=instagram", "--streams=Api"),
            "--streams=Api",
            "none of these streams is " + "served with Instagram Login"),
        Arguments.of(
            List.of(
                "--syncMode=user_insights:incremental_append,user_insights:full_refresh_overwrite"),
            "stream user_insights is given two modes",
            "give one"),
        Arguments.of(
            List.of("--startDate=2026-11-31T00:00:00Z"),
            "--startDate=2026-11-31T00:00:00Z",
            "YYYY-MM-DDTHH:MM:SSZ"),
        Arguments.of(
            List.of("--accessTokenSecret=EAAGpastedbymistake0123456789abcdefghijkl"),
            "--accessTokenSecret=*** (a token, not a path?)",
            "projects/PROJECT"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badOptions")
  void badOptionExitsTwoWithOneLineNamingTheFixAndWritesNothing(
      List<String> options, String names, String fix) {
    Path output = tmp.resolve("out");
    List<String> args =
        new java.util.ArrayList<>(List.of("--accessToken=" + TOKEN, "--output=" + output));
    args.addAll(options);
    if (options.get(0).startsWith("--accessTokenSecret")) {
      args.remove(0);
    }
    JobHarness.Run run = JobHarness.run(args.toArray(String[]::new));
    assertEquals(Main.BAD_CONFIG, run.exitCode(), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().contains(names), run.err());
    assertTrue(run.err().contains(fix), run.err());
    assertFalse(run.err().contains(TOKEN) || run.out().contains(TOKEN));
    assertFalse(Files.exists(output), "nothing is written for a bad configuration");
  }

  @Test
  void theLoginComesFromTheTokenUnlessGivenAndPicksItsHost() {
    JobConfig auto =
        JobConfig.from(Main.parse(new String[] {"--output=" + tmp}), AccessToken.of("IGAAx-token"));
    assertEquals(Login.INSTAGRAM, auto.login());
    assertEquals("https://graph.instagram.com", auto.graph().baseUrl());
    JobConfig facebook =
        JobConfig.from(Main.parse(new String[] {"--output=" + tmp}), AccessToken.of(TOKEN));
    assertEquals(Login.FACEBOOK, facebook.login());
    assertEquals("https://graph.facebook.com", facebook.graph().baseUrl());
    JobConfig given =
        JobConfig.from(
            Main.parse(
                new String[] {
                  "--output=" + tmp, "--login=facebook", "--graphApiUrl=http://127.0.0.1:9"
                }),
            AccessToken.of("IGAAx-token"));
    assertEquals(Login.FACEBOOK, given.login(), "--login overrides the token's prefix");
    assertEquals(
        "http://127.0.0.1:9", given.graph().baseUrl(), "--graphApiUrl overrides the login's host");
  }

  @Test
  void tokenGivenWithoutEqualsSignIsRefusedWithoutEchoingIt() {
    JobHarness.Run run = JobHarness.run("--accessToken", TOKEN, "--output=" + tmp.resolve("out"));
    assertEquals(Main.BAD_CONFIG, run.exitCode());
    assertTrue(run.err().contains("--accessToken=TOKEN"), run.err());
    assertFalse(run.err().contains(TOKEN) || run.out().contains(TOKEN), run.err());
  }

  @Test
  void missingTokenSaysWhereTokensComeFrom() {
    JobHarness.Run run = JobHarness.run(Map.of(), "--output=" + tmp.resolve("out"));
    assertEquals(Main.BAD_CONFIG, run.exitCode());
    assertTrue(
        run.err().contains("--accessTokenFile") && run.err().contains("INSTAGRAM_ACCESS_TOKEN"),
        run.err());
  }

  @Test
  void unreadableTokenFileIsNamed() {
    JobHarness.Run run = JobHarness.run("--accessTokenFile=" + tmp.resolve("missing.txt"));
    assertEquals(Main.BAD_CONFIG, run.exitCode());
    assertTrue(
        run.err().contains("--accessTokenFile=") && run.err().contains("cannot read"), run.err());
  }

  @Test
  void tokenGivenTwiceWithDifferentValuesIsRefusedNamingBothSources() throws IOException {
    Path file = Files.writeString(tmp.resolve("token.txt"), "EAAB-another-token\n");
    JobHarness.Run run =
        JobHarness.run(
            Map.of("INSTAGRAM_ACCESS_TOKEN", TOKEN),
            "--accessTokenFile=" + file,
            "--output=" + tmp.resolve("out"));
    assertEquals(Main.BAD_CONFIG, run.exitCode(), run.err());
    assertTrue(run.err().contains("--accessTokenFile and INSTAGRAM_ACCESS_TOKEN"), run.err());
    assertFalse(run.err().contains(TOKEN) || run.err().contains("another-token"), run.err());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tokensWithALineBreak")
  void tokenWithALineBreakInsideIsRefusedWithoutEchoingIt(
      String source, Map<String, String> env, String[] args) {
    JobHarness.Run run = JobHarness.run(env, args);
    assertEquals(Main.BAD_CONFIG, run.exitCode(), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().contains(source) && run.err().contains("line break"), run.err());
    assertFalse(run.err().contains("first-half") || run.err().contains("second-half"), run.err());
  }

  static Stream<Arguments> tokensWithALineBreak() {
    String token = "EAAB-first-half\r\nsecond-half";
    return Stream.of(
        Arguments.of(
            "INSTAGRAM_ACCESS_TOKEN",
            Map.of("INSTAGRAM_ACCESS_TOKEN", token),
            new String[] {"--streams=users"}),
        Arguments.of("--accessToken", Map.of(), new String[] {"--accessToken=" + token}));
  }

  @Test
  void tokenPastedInPlaceOfTheTokenFileIsNotEchoed() {
    String pasted = "EAAGpastedbymistake0123456789abcdefghijkl";
    JobHarness.Run run =
        JobHarness.run("--accessTokenFile=" + pasted, "--output=" + tmp.resolve("out"));
    assertEquals(Main.BAD_CONFIG, run.exitCode(), run.err());
    assertTrue(run.err().contains("cannot read"), run.err());
    assertFalse(run.err().contains(pasted), run.err());
  }

  @Test
  void unwritableSummaryFileIsRefusedBeforeAnyCall() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
    JobHarness.Run run =
        JobHarness.run(
            "--accessToken=" + TOKEN,
            "--graphApiUrl=http://127.0.0.1:9",
            "--output=" + tmp.resolve("out"),
            "--summaryFile=" + file.resolve("summary.json"));
    assertEquals(Main.BAD_CONFIG, run.exitCode(), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(
        run.err().contains("--summaryFile=") && run.err().contains("cannot be written"), run.err());
  }

  @Test
  void stateCursorInTheFutureIsRefusedAndLeftUntouched() throws IOException {
    String text = "{\"17841400000000000\": {\"date\": \"2027-01-01T00:00:00+00:00\"}}";
    Path state = Files.writeString(tmp.resolve("state.json"), text);
    JobHarness.Run run =
        JobHarness.run(
            "--accessToken=" + TOKEN,
            "--graphApiUrl=http://127.0.0.1:9",
            "--now=2026-03-10T12:00:00Z",
            "--output=" + tmp.resolve("out"),
            "--state=" + state);
    assertEquals(Main.BAD_CONFIG, run.exitCode(), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(
        run.err().contains("17841400000000000") && run.err().contains("after now"), run.err());
    assertEquals(text, Files.readString(state));
  }

  @Test
  void unwritableOutputIsRefusedBeforeAnyCall() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
    JobHarness.Run run =
        JobHarness.run(
            "--accessToken=" + TOKEN,
            "--graphApiUrl=http://127.0.0.1:9",
            "--output=" + file.resolve("sub"));
    assertEquals(Main.BAD_CONFIG, run.exitCode(), run.err());
    assertTrue(
        run.err().contains("--output=") && run.err().contains("cannot be written"), run.err());
  }

  @Test
  void malformedStateFileIsRefusedAndLeftUntouched() throws IOException {
    Path state =
        Files.writeString(tmp.resolve("state.json"), "{\"123\": {\"date\": \"last tuesday\"}}");
    JobHarness.Run run =
        JobHarness.run(
            "--accessToken=" + TOKEN,
            "--graphApiUrl=http://127.0.0.1:9",
            "--output=" + tmp.resolve("out"),
            "--state=" + state);
    assertEquals(Main.BAD_CONFIG, run.exitCode(), run.err());
    assertTrue(run.err().contains("--state=") && run.err().contains("malformed"), run.err());
    assertEquals("{\"123\": {\"date\": \"last tuesday\"}}", Files.readString(state));
    assertFalse(Files.exists(tmp.resolve("out").resolve("user_insights")));
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    JobHarness.Run run = JobHarness.run("--help");
    assertEquals(Main.OK, run.exitCode());
    for (String option :
        List.of(
            "--accessToken",
            "--accessTokenFile",
            "--accessTokenSecret",
            "--graphApiUrl",
            "--apiVersion",
            "--startDate",
            "--streams",
            "--accounts",
            "--sink",
            "--format",
            "--output",
            "--bigQueryDataset",
            "--state",
            "--syncMode",
            "--lookbackDays",
            "--demo",
            "--summaryFile",
            "--metricSet")) {
      assertTrue(run.out().contains(option), option + " missing from --help");
    }
    assertTrue(run.out().contains("Default: ./output"), run.out());
    assertTrue(run.out().contains("Default: v25.0"), run.out());
    assertTrue(run.out().contains("Default: current"), run.out());
  }
}
