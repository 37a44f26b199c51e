package io.instabeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Airbyte's shared transformations (its components.py): URL cleaning, RFC 3339 timestamps,
 * flattening.
 */
class RecordShapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * URL cleaning: Airbyte's test_common.py cases, with a parameter that is not in the URL where
   * none is removed.
   */
  @Nested
  class UrlCleaning {
    @Test
    void leavesEmptyUrlEmpty() {
      assertEquals("", RecordShape.withoutQueryParameter("", "test"));
    }

    @Test
    void leavesUrlWithoutQueryAsIs() {
      assertEquals("abcd", RecordShape.withoutQueryParameter("abcd", "test"));
    }

    @Test
    void dropsTheQuestionMarkOfAnEmptyQuery() {
      assertEquals(
          "https://google.com", RecordShape.withoutQueryParameter("https://google.com?", "test"));
    }

    @Test
    void dropsEmptySegments() {
      assertEquals(
          "https://google.com?test=122",
          RecordShape.withoutQueryParameter("https://google.com?test=122&&", "x"));
    }

    @Test
    void keepsPercentEncodedValuesByteForByte() {
      String url = "https://google.com?test=123%23%24%25%2A&test2=456";
      assertEquals(url, RecordShape.withoutQueryParameter(url, "test3"));
    }

    @Test
    void removesTheNamedParameter() {
      assertEquals(
          "https://google.com?test=123",
          RecordShape.withoutQueryParameter("https://google.com?test=123&test2=456", "test2"));
    }

    @Test
    void removesTheNamedParameterBetweenEmptySegments() {
      assertEquals(
          "https://google.com?test=123",
          RecordShape.withoutQueryParameter("https://google.com?test=123&&test2=456", "test2"));
    }

    @Test
    void removesTheOnlyParameterAndTheQuestionMark() {
      assertEquals(
          "https://google.com",
          RecordShape.withoutQueryParameter("https://google.com?test2=456", "test2"));
    }

    @Test
    void removesNcRidFromMediaUrl() {
      ObjectNode record = json("{\"media_url\": \"https://google.com?test=123&_nc_rid=testing\"}");
      RecordShape.cleanUrls(record);
      assertEquals("https://google.com?test=123", record.path("media_url").asText());
    }

    @Test
    void removesCcbFromProfilePictureUrl() {
      ObjectNode record =
          json("{\"profile_picture_url\": \"https://google.com?test=123&ccb=testing\"}");
      RecordShape.cleanUrls(record);
      assertEquals("https://google.com?test=123", record.path("profile_picture_url").asText());
    }

    @Test
    void leavesCcbInMediaUrl() {
      ObjectNode record = json("{\"media_url\": \"https://google.com?ccb=1-7&_nc_rid=x\"}");
      RecordShape.cleanUrls(record);
      assertEquals("https://google.com?ccb=1-7", record.path("media_url").asText());
    }

    @Test
    void leavesNcRidInProfilePictureUrl() {
      ObjectNode record =
          json("{\"profile_picture_url\": \"https://google.com?_nc_rid=x&ccb=1-7\"}");
      RecordShape.cleanUrls(record);
      assertEquals("https://google.com?_nc_rid=x", record.path("profile_picture_url").asText());
    }

    @Test
    void leavesThumbnailUrlUntouched() {
      String thumbnail = "https://google.com?a=%7E&_nc_rid=x&b=c%20d";
      ObjectNode record = json("{\"thumbnail_url\": \"" + thumbnail + "\"}");
      RecordShape.cleanUrls(record);
      assertEquals(thumbnail, record.path("thumbnail_url").asText());
    }

    @Test
    void leavesAbsentAndNullUrlsAlone() {
      ObjectNode record = json("{\"media_url\": null, \"id\": \"1\"}");
      RecordShape.cleanUrls(record);
      assertEquals(json("{\"media_url\": null, \"id\": \"1\"}"), record);
      assertFalse(record.has("profile_picture_url"));
    }

    @Test
    void keepsTheFragment() {
      assertEquals(
          "https://x.com/p?a=1#frag",
          RecordShape.withoutQueryParameter("https://x.com/p?a=1&_nc_rid=z#frag", "_nc_rid"));
    }
  }

  /**
   * The URL's query is re-encoded as Python's parse_qs + urlencode (quote_plus) do, even if nothing
   * is removed.
   */
  @Nested
  class PythonReEncoding {
    private String reencoded(String query) {
      return RecordShape.withoutQueryParameter("https://x.com/p?" + query, "_nc_rid")
          .substring("https://x.com/p".length());
    }

    @Test
    void encodesSpaceAsPlus() {
      assertEquals("?q=a+b", reencoded("q=a%20b"));
    }

    @Test
    void keepsPlusAsEncodedSpace() {
      assertEquals("?q=a+b", reencoded("q=a+b"));
    }

    @Test
    void keepsTilde() {
      assertEquals("?q=a~b", reencoded("q=a~b"));
    }

    @Test
    void decodesEncodedTilde() {
      assertEquals("?q=a~b", reencoded("q=a%7Eb"));
    }

    @Test
    void encodesAsterisk() {
      assertEquals("?q=a%2Ab", reencoded("q=a*b"));
    }

    @Test
    void encodesReservedCharactersWithUpperCaseHex() {
      assertEquals("?u=a%2Cb%2Fc%3Ad%3De%40f", reencoded("u=a,b/c:d=e@f"));
    }

    @Test
    void upperCasesLowerCaseEscapes() {
      assertEquals("?q=%2A%2F", reencoded("q=%2a%2f"));
    }

    @Test
    void keepsUnreservedCharacters() {
      assertEquals("?k_1.x-y=AZaz09_.-~", reencoded("k_1.x-y=AZaz09_.-~"));
    }

    @Test
    void encodesNonAsciiAsUtf8() {
      assertEquals("?c=S%C3%A3o", reencoded("c=São"));
    }

    @Test
    void groupsDuplicateKeysInFirstSeenOrder() {
      assertEquals("?a=1&a=3&b=2", reencoded("a=1&b=2&a=3"));
    }

    @Test
    void keepsBareKeysWithEmptyValue() {
      assertEquals("?flag=&x=1", reencoded("flag&x=1"));
    }

    @Test
    void keepsBlankValues() {
      assertEquals("?a=&b=1", reencoded("a=&b=1"));
    }

    @Test
    void splitsOnTheFirstEqualsSign() {
      assertEquals("?oh=00_Af%3D%3D", reencoded("oh=00_Af=="));
    }

    @Test
    void leavesAMalformedEscapeAsPercent() {
      assertEquals("?q=100%25", reencoded("q=100%"));
    }

    @Test
    void decodesValidEscapesBesideAMalformedOne() {
      // Python's unquote_plus decodes every valid escape and keeps an invalid '%' literally.
      assertEquals("?q=%25zz+a+b", reencoded("q=%zz+a%20b"));
    }

    @Test
    void replacesInvalidUtf8WithTheReplacementCharacter() {
      assertEquals("?q=%EF%BF%BD", reencoded("q=%FF"));
    }
  }

  /** Timestamps: Graph's {@code +0000} becomes RFC 3339's {@code +00:00}. */
  @Nested
  class Timestamps {
    @Test
    void insertsTheColonIntoPlusZeroZeroZeroZero() {
      assertEquals("2024-01-01T00:00:00+00:00", RecordShape.rfc3339("2024-01-01T00:00:00+0000"));
    }

    @Test
    void rewritesZuluAsPlusZero() {
      assertEquals("2023-06-12T19:20:02+00:00", RecordShape.rfc3339("2023-06-12T19:20:02Z"));
    }

    @Test
    void leavesRfc3339AsIs() {
      assertEquals("2024-01-15T07:00:00+00:00", RecordShape.rfc3339("2024-01-15T07:00:00+00:00"));
    }

    @Test
    void keepsAPositiveOffsetAndLocalTime() {
      assertEquals("2024-06-01T10:00:00+05:30", RecordShape.rfc3339("2024-06-01T10:00:00+0530"));
    }

    @Test
    void keepsANegativeOffsetAndLocalTime() {
      assertEquals("2024-01-15T00:00:00-08:00", RecordShape.rfc3339("2024-01-15T00:00:00-0800"));
    }

    @Test
    void leavesNullNull() {
      assertNull(RecordShape.rfc3339((String) null));
    }

    @Test
    void leavesNonTimestampsAsTheyAre() {
      assertEquals("not a date", RecordShape.rfc3339("not a date"));
      assertEquals("2024-01-15", RecordShape.rfc3339("2024-01-15"));
      assertEquals("", RecordShape.rfc3339(""));
    }

    @Test
    void rewritesOnlyTheNamedTextField() {
      ObjectNode record =
          json(
              "{\"timestamp\": \"2024-01-01T00:00:00+0000\", \"other\": \"2024-01-01T00:00:00+0000\"}");
      RecordShape.rfc3339(record, "timestamp");
      assertEquals(
          json(
              "{\"timestamp\": \"2024-01-01T00:00:00+00:00\", \"other\": \"2024-01-01T00:00:00+0000\"}"),
          record);
    }

    @Test
    void leavesNullAndAbsentFieldsAlone() {
      ObjectNode record = json("{\"timestamp\": null}");
      RecordShape.rfc3339(record, "timestamp");
      RecordShape.rfc3339(record, "date");
      assertEquals(json("{\"timestamp\": null}"), record);
    }
  }

  /** Insights flattening. */
  @Nested
  class InsightsFlattening {
    @Test
    void flattensEachMetricToItsFirstValue() {
      ObjectNode body =
          json(
              "{\"data\": [{\"name\": \"reach\", \"period\": \"lifetime\", \"values\": [{\"value\": 5},"
                  + " {\"value\": 6}], \"title\": \"Reach\", \"description\": \"d\", \"id\": \"1/insights/reach/lifetime\"},"
                  + " {\"name\": \"saved\", \"period\": \"lifetime\", \"values\": [{\"value\": 0}], \"title\": \"Saved\"}]}");
      assertEquals(json("{\"reach\": 5, \"saved\": 0}"), RecordShape.flattenInsights(body));
    }

    @Test
    void keepsEmptyDataAsEmptyList() {
      assertEquals(json("{\"data\": []}"), RecordShape.flattenInsights(json("{\"data\": []}")));
    }

    @Test
    void keepsOtherTopLevelKeys() {
      ObjectNode body =
          json(
              "{\"data\": [{\"name\": \"reach\", \"values\": [{\"value\": 1}]}],"
                  + " \"paging\": {\"next\": \"n\"}}");
      assertEquals(
          json("{\"reach\": 1, \"paging\": {\"next\": \"n\"}}"), RecordShape.flattenInsights(body));
    }

    @Test
    void keepsObjectValuesWhole() {
      ObjectNode body =
          json(
              "{\"data\": [{\"name\": \"online_followers\", \"values\": [{\"value\": {\"0\": 1}}]}]}");
      assertEquals(json("{\"online_followers\": {\"0\": 1}}"), RecordShape.flattenInsights(body));
    }

    @Test
    void takesATotalValueAndMakesANoValueNull() {
      ObjectNode body =
          json(
              "{\"data\": [{\"name\": \"profile_activity\", \"total_value\": {\"value\": 7}},"
                  + " {\"name\": \"navigation\", \"period\": \"lifetime\"}]}");
      assertEquals(
          json("{\"profile_activity\": 7, \"navigation\": null}"),
          RecordShape.flattenInsights(body));
    }
  }
}
