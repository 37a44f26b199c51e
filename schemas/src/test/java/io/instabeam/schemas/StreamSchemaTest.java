package io.instabeam.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StreamSchemaTest {

  static List<String> streams() {
    return StreamCatalog.names();
  }

  @ParameterizedTest
  @MethodSource("streams")
  void everyStreamConvertsToBothSchemasWithTheSameTopLevelFields(String name) {
    StreamDefinition stream = StreamCatalog.get(name);
    StreamSchema schema = StreamSchema.of(stream);
    List<String> declared = iterable(stream.jsonSchema().path("properties").fieldNames());

    assertEquals(
        declared,
        schema.avroSchema().getFields().stream()
            .map(Schema.Field::name)
            .collect(Collectors.toList()));
    assertEquals(
        declared,
        schema.tableSchema().getFields().stream()
            .map(TableFieldSchema::getName)
            .collect(Collectors.toList()));
  }

  @ParameterizedTest
  @MethodSource("streams")
  void everyFieldIsNullableInEveryTarget(String name) {
    StreamSchema schema = StreamSchema.of(StreamCatalog.get(name));
    schema
        .avroSchema()
        .getFields()
        .forEach(
            f -> {
              assertEquals(Schema.Type.UNION, f.schema().getType(), f.name());
              assertEquals(Schema.Type.NULL, f.schema().getTypes().get(0).getType(), f.name());
            });
    schema
        .tableSchema()
        .getFields()
        .forEach(
            f -> assertTrue(List.of("NULLABLE", "REPEATED").contains(f.getMode()), f.getName()));
  }

  @Test
  void scalarTypesMapToInt64Float64BoolAndString() {
    Map<String, String> bq =
        bigQueryTypes(StreamSchema.of(StreamCatalog.get("media_insights")).tableSchema());
    assertEquals("STRING", bq.get("id"));
    assertEquals("INT64", bq.get("reach"));
    assertEquals("FLOAT64", bq.get("ig_reels_avg_watch_time"));
    assertEquals(
        "BOOL",
        bigQueryTypes(StreamSchema.of(StreamCatalog.get("media")).tableSchema())
            .get("is_comment_enabled"));

    Schema avro = StreamSchema.of(StreamCatalog.get("media_insights")).avroSchema();
    assertEquals(Schema.Type.LONG, nonNull(avro.getField("reach").schema()).getType());
    assertEquals(
        Schema.Type.DOUBLE, nonNull(avro.getField("ig_reels_avg_watch_time").schema()).getType());
  }

  @Test
  void dateTimeStringsBecomeTimestampTypes() {
    StreamSchema schema = StreamSchema.of(StreamCatalog.get("user_insights"));
    assertEquals("TIMESTAMP", bigQueryTypes(schema.tableSchema()).get("date"));
    Schema date = nonNull(schema.avroSchema().getField("date").schema());
    assertEquals(Schema.Type.LONG, date.getType());
    assertEquals(LogicalTypes.timestampMicros(), date.getLogicalType());
  }

  @Test
  void objectsWithPropertiesBecomeRecords() {
    StreamSchema schema = StreamSchema.of(StreamCatalog.get("media"));
    TableFieldSchema owner = column(schema.tableSchema(), "owner");
    assertEquals("RECORD", owner.getType());
    assertEquals("NULLABLE", owner.getMode());
    assertEquals("id", owner.getFields().get(0).getName());
    assertEquals(
        Schema.Type.RECORD, nonNull(schema.avroSchema().getField("owner").schema()).getType());
  }

  @Test
  void childrenBecomeARepeatedRecordWithNestedOwnerAndTimestamp() {
    StreamSchema schema = StreamSchema.of(StreamCatalog.get("media"));
    TableFieldSchema children = column(schema.tableSchema(), "children");
    assertEquals("RECORD", children.getType());
    assertEquals("REPEATED", children.getMode());
    Map<String, String> childTypes =
        children.getFields().stream()
            .collect(Collectors.toMap(TableFieldSchema::getName, TableFieldSchema::getType));
    assertEquals("TIMESTAMP", childTypes.get("timestamp"));
    assertEquals("RECORD", childTypes.get("owner"));

    Schema avroChildren = nonNull(schema.avroSchema().getField("children").schema());
    assertEquals(Schema.Type.ARRAY, avroChildren.getType());
    Schema child = avroChildren.getElementType();
    assertEquals("children", child.getName());
    assertEquals("children_owner", nonNull(child.getField("owner").schema()).getName());
  }

  @Test
  void freeFormIntegerObjectsBecomeRepeatedKeyValueRecords() {
    for (String[] streamAndField :
        new String[][] {
          {"user_insights", "online_followers"}, {"user_lifetime_insights", "value"}
        }) {
      StreamSchema schema = StreamSchema.of(StreamCatalog.get(streamAndField[0]));
      TableFieldSchema column = column(schema.tableSchema(), streamAndField[1]);
      assertEquals("REPEATED", column.getMode());
      assertEquals(
          Map.of("key", "STRING", "value", "INT64"),
          column.getFields().stream()
              .collect(Collectors.toMap(TableFieldSchema::getName, TableFieldSchema::getType)));

      Schema entry =
          nonNull(schema.avroSchema().getField(streamAndField[1]).schema()).getElementType();
      assertEquals(Schema.Type.STRING, nonNull(entry.getField("key").schema()).getType());
      assertEquals(Schema.Type.LONG, nonNull(entry.getField("value").schema()).getType());
    }
  }

  @Test
  void avroSchemaIsNamedAfterTheStreamAndParsesBack() {
    for (StreamDefinition stream : StreamCatalog.all()) {
      Schema avro = StreamSchema.of(stream).avroSchema();
      assertEquals(stream.name(), avro.getName());
      assertEquals(avro, new Schema.Parser().parse(avro.toString()));
    }
  }

  static Map<String, String> bigQueryTypes(TableSchema schema) {
    return schema.getFields().stream()
        .collect(Collectors.toMap(TableFieldSchema::getName, TableFieldSchema::getType));
  }

  static TableFieldSchema column(TableSchema schema, String name) {
    return schema.getFields().stream()
        .filter(f -> f.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  static Schema nonNull(Schema union) {
    return union.getTypes().stream()
        .filter(s -> s.getType() != Schema.Type.NULL)
        .findFirst()
        .orElseThrow();
  }

  static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
