package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EmulatorMainTest {
  private static Process launch(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp",
                System.getProperty("java.class.path"),
                EmulatorMain.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).start();
  }

  @Test
  void printsItsUrlAndServes() throws Exception {
    Process p = launch("--port=0", "--token=demo-token", "--seed=42", "--accounts=3", "--media=30");
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      Matcher m =
          Pattern.compile(
                  "^Graph API emulator listening on (http://127\\.0\\.0\\.1:\\d+) \\(token demo-token, seed 42\\); Instagram Login on \\1/instagram \\(token IGAAdemo-token\\)$")
              .matcher(line);
      assertTrue(m.matches(), line);
      GraphClient c = new GraphClient(m.group(1), "demo-token");
      GraphClient.Reply r = c.get("/v23.0/me/accounts?fields=id,instagram_business_account");
      assertEquals(200, r.status());
      assertEquals(4, r.json().get("data").size());
      GraphApiEmulator same =
          GraphApiEmulator.builder().seed(42).accounts(3).mediaPerAccount(30).build();
      String ig = same.dataset().users().get(0).id();
      assertEquals(
          30, c.get("/v23.0/" + ig + "?fields=media_count").json().get("media_count").asInt());
    } finally {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void badFlagsExitWith2AndOneLine() throws Exception {
    for (String[] args :
        new String[][] {{"--nope=1"}, {"--accounts=many"}, {"--http5xx-rate=2"}, {"positional"}}) {
      Process p = launch(args);
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
      assertEquals(2, p.exitValue());
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, err.lines().count(), err);
      assertTrue(err.startsWith("error: "), err);
    }
  }

  @Test
  void helpListsEveryFlag() throws Exception {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    EmulatorMain.help(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
    String help = buf.toString(StandardCharsets.UTF_8);
    for (String flag :
        List.of(
            "--port",
            "--token",
            "--seed",
            "--accounts",
            "--pages-without-instagram",
            "--media",
            "--stories",
            "--carousel-share",
            "--children",
            "--reels-share",
            "--now",
            "--system-clock",
            "--latency-ms",
            "--calls-per-window",
            "--rate-window",
            "--permissions",
            "--token-expires-at",
            "--http5xx-rate",
            "--transient-error-rate",
            "--drop-connection-rate",
            "--truncated-body-rate",
            "--app-rate-limit-code",
            "--app-calls-per-window",
            "--last-media-page-waits-for-batch-ms")) {
      assertTrue(help.contains(flag), flag);
    }
    GraphApiEmulator emu =
        EmulatorMain.configure(
                EmulatorMain.parse(
                    new String[] {
                      "--seed=9",
                      "--accounts=2",
                      "--children=3..4",
                      "--calls-per-window=50",
                      "--app-rate-limit-code=613",
                      "--app-calls-per-window=10"
                    }))
            .build();
    assertEquals(2, emu.dataset().users().size());
    assertEquals(613, emu.faults().appRateLimitCode());
    emu.dataset().allMedia().stream()
        .filter(MediaItem::isCarousel)
        .forEach(m -> assertTrue(m.children().size() >= 3 && m.children().size() <= 4));
  }
}
