package io.instabeam.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.TableRow;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class RecordConverterTest {
  private static final String MEDIA =
      "{\"id\":\"17900000000000001\",\"business_account_id\":\"1784\","
          + "\"caption\":\"hello\",\"comments_count\":3,\"like_count\":10,\"is_comment_enabled\":true,"
          + "\"timestamp\":\"2023-06-12T19:20:02+00:00\",\"owner\":{\"id\":\"1784\"},"
          + "\"children\":[{\"id\":\"c1\",\"timestamp\":\"2023-06-12T19:20:03+0000\",\"owner\":{\"id\":\"1784\"}},"
          + "{\"id\":\"c2\"}],"
          + "\"media_insights_info\":{\"media_id\":\"17900000000000001\",\"media_type\":\"CAROUSEL_ALBUM\"},"
          + "\"brand_new_api_field\":{\"x\":1}}";
  private static final String USER_INSIGHTS =
      "{\"business_account_id\":\"1784\",\"page_id\":\"p1\","
          + "\"date\":\"2023-06-12T07:00:00+00:00\",\"follower_count\":12,\"reach\":100,"
          + "\"online_followers\":{\"0\":5,\"1\":7,\"23\":9}}";
  private static final long MEDIA_MICROS = 1686597602L * 1_000_000L;

  private final RecordConverter media = RecordConverter.of(StreamCatalog.get("media"));
  private final RecordConverter userInsights =
      RecordConverter.of(StreamCatalog.get("user_insights"));

  @Test
  void avroRecordCarriesScalarsNestedRecordsAndTimestampMicros() {
    GenericRecord record = media.toAvro(MEDIA);
    assertEquals("17900000000000001", record.get("id"));
    assertEquals(3L, record.get("comments_count"));
    assertEquals(true, record.get("is_comment_enabled"));
    assertEquals(MEDIA_MICROS, record.get("timestamp"));
    assertEquals("1784", ((GenericRecord) record.get("owner")).get("id"));
    assertEquals(
        "CAROUSEL_ALBUM", ((GenericRecord) record.get("media_insights_info")).get("media_type"));
    assertNull(record.get("thumbnail_url"));
    assertTrue(GenericData.get().validate(media.avroSchema(), record));
  }

  @Test
  void childrenBecomeAnArrayOfRecordsWithTheirOwnTimestamps() {
    List<?> children = (List<?>) media.toAvro(MEDIA).get("children");
    assertEquals(2, children.size());
    GenericRecord first = (GenericRecord) children.get(0);
    assertEquals("c1", first.get("id"));
    assertEquals(MEDIA_MICROS + 1_000_000L, first.get("timestamp"));
    assertNull(((GenericRecord) children.get(1)).get("timestamp"));
  }

  @Test
  void unknownFieldsAreDroppedNotFatal() {
    GenericRecord record = media.toAvro(MEDIA);
    assertNull(record.getSchema().getField("brand_new_api_field"));
    assertFalse(media.toTableRow(MEDIA).containsKey("brand_new_api_field"));
  }

  @Test
  void onlineFollowersBecomeKeyValueEntriesInInputOrder() {
    List<?> entries = (List<?>) userInsights.toAvro(USER_INSIGHTS).get("online_followers");
    assertEquals(3, entries.size());
    GenericRecord last = (GenericRecord) entries.get(2);
    assertEquals("23", last.get("key"));
    assertEquals(9L, last.get("value"));

    TableRow row = userInsights.toTableRow(USER_INSIGHTS);
    assertEquals(
        List.of(
            new TableRow().set("key", "0").set("value", 5L),
            new TableRow().set("key", "1").set("value", 7L),
            new TableRow().set("key", "23").set("value", 9L)),
        row.get("online_followers"));
  }

  @Test
  void tableRowHasUtcTimestampsAndLeavesNullsOut() {
    TableRow row = media.toTableRow(MEDIA);
    assertEquals("2023-06-12T19:20:02Z", row.get("timestamp"));
    assertEquals(10L, row.get("like_count"));
    assertEquals(new TableRow().set("id", "1784"), row.get("owner"));
    assertFalse(row.containsKey("thumbnail_url"));
    assertEquals(
        "2023-06-12T19:20:03Z", ((List<TableRow>) row.get("children")).get(0).get("timestamp"));
  }

  @Test
  void offsetsOtherThanUtcAreConvertedToUtc() {
    TableRow row = media.toTableRow("{\"id\":\"1\",\"timestamp\":\"2023-06-12T21:20:02.5+02:00\"}");
    assertEquals("2023-06-12T19:20:02.500Z", row.get("timestamp"));
  }

  @Test
  void losslessCoercionsAreNotMismatches() {
    RecordConverter strict =
        RecordConverter.of(StreamCatalog.get("users"))
            .withOnMismatch(RecordConverter.OnMismatch.FAIL);
    GenericRecord record =
        strict.toAvro("{\"id\":123,\"ig_id\":\"17841400000\",\"followers_count\":12.0}");
    assertEquals("123", record.get("id"));
    assertEquals(17841400000L, record.get("ig_id"));
    assertEquals(12L, record.get("followers_count"));
  }

  @Test
  void aWrongTypeIsNulledByDefault() {
    GenericRecord record = media.toAvro("{\"id\":\"1\",\"like_count\":\"many\",\"timestamp\":12}");
    assertNull(record.get("like_count"));
    assertNull(record.get("timestamp"));
    assertEquals("1", record.get("id"));
  }

  @Test
  void aWrongTypeUnderFailNamesStreamFieldAndValue() {
    RecordConverter strict = media.withOnMismatch(RecordConverter.OnMismatch.FAIL);
    RecordTypeException e =
        assertThrows(
            RecordTypeException.class,
            () -> strict.toTableRow("{\"id\":\"1\",\"children\":[{\"timestamp\":\"yesterday\"}]}"));
    assertEquals("media", e.stream());
    assertEquals("children[].timestamp", e.field());
    assertTrue(e.getMessage().contains("\"yesterday\""), e.getMessage());
  }

  @Test
  void aRecordThatIsNotAJsonObjectIsAnError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> media.toAvro("[1,2]"));
    assertTrue(e.getMessage().contains("media"), e.getMessage());
  }
}
