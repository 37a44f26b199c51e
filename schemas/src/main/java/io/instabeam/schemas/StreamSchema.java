package io.instabeam.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.LogicalTypes;

/**
 * A stream's JSON Schema read as typed fields: the one model that the Beam {@code Schema}, the Avro
 * schema and the BigQuery {@code TableSchema} of the stream are all derived from, so the three can
 * never disagree.
 *
 * <p>Every field is nullable, as in Airbyte's schemas ({@code ["null", "string"]}). Objects with
 * properties become records, arrays of objects repeated records, and free-form objects of integers
 * ({@code online_followers}, {@code user_lifetime_insights.value}) a repeated {@code key}/{@code
 * value} record, because their keys (hours, cities, age brackets) are data, not columns.
 */
public final class StreamSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Namespace of the Avro records, so files written by different streams never clash on record
   * names.
   */
  public static final String AVRO_NAMESPACE = "io.instabeam.streams";

  /** Field names of the entries a free-form integer object becomes. */
  public static final String ENTRY_KEY = "key";

  public static final String ENTRY_VALUE = "value";

  /** What a field holds, independent of any target system. */
  public enum Kind {
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    /** A JSON string with {@code format: date-time}. */
    TIMESTAMP,
    /** A JSON object with declared properties. */
    RECORD,
    /** A JSON array of objects with declared properties. */
    REPEATED_RECORD,
    /** A JSON object whose keys are data and whose values are integers. */
    COUNT_MAP
  }

  /** One field: its name, kind, and for records the nested fields. */
  public static final class Field implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final Kind kind;
    private final List<Field> fields;

    Field(String name, Kind kind, List<Field> fields) {
      this.name = name;
      this.kind = kind;
      this.fields = List.copyOf(fields);
    }

    public String name() {
      return name;
    }

    public Kind kind() {
      return kind;
    }

    /** Nested fields of a {@link Kind#RECORD} or {@link Kind#REPEATED_RECORD}; empty otherwise. */
    public List<Field> fields() {
      return fields;
    }

    @Override
    public String toString() {
      return name + ":" + kind + (fields.isEmpty() ? "" : fields.toString());
    }
  }

  private final String streamName;
  private final List<Field> fields;

  private StreamSchema(String streamName, List<Field> fields) {
    this.streamName = streamName;
    this.fields = List.copyOf(fields);
  }

  /**
   * Reads the stream's JSON Schema; a construct the typed sinks cannot represent is an error naming
   * the field.
   */
  public static StreamSchema of(StreamDefinition stream) {
    return new StreamSchema(stream.name(), readProperties(stream.name(), "", stream.jsonSchema()));
  }

  public String streamName() {
    return streamName;
  }

  /** Top-level fields, in the order of the JSON Schema. */
  public List<Field> fields() {
    return fields;
  }

  public Optional<Field> field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  // ---------------------------------------------------------------- Avro

  /**
   * The Avro schema: a record named after the stream; every field a union {@code ["null", T]} with
   * default null; timestamps {@code long} with logical type {@code timestamp-micros}; nested record
   * names are their path joined by {@code _} so that {@code owner} and {@code children.owner} do
   * not clash.
   */
  public org.apache.avro.Schema avroSchema() {
    return avroRecord(streamName, "", fields);
  }

  private static org.apache.avro.Schema avroRecord(
      String name, String pathPrefix, List<Field> fields) {
    List<org.apache.avro.Schema.Field> avroFields = new ArrayList<>();
    for (Field field : fields) {
      org.apache.avro.Schema type = avroType(field, pathPrefix + field.name());
      avroFields.add(
          new org.apache.avro.Schema.Field(
              field.name(), nullable(type), null, org.apache.avro.Schema.Field.NULL_DEFAULT_VALUE));
    }
    return org.apache.avro.Schema.createRecord(name, null, AVRO_NAMESPACE, false, avroFields);
  }

  private static org.apache.avro.Schema avroType(Field field, String path) {
    switch (field.kind()) {
      case STRING:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
      case INTEGER:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
      case NUMBER:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
      case BOOLEAN:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
      case TIMESTAMP:
        return LogicalTypes.timestampMicros()
            .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
      case RECORD:
        return avroRecord(path, path + "_", field.fields());
      case REPEATED_RECORD:
        return org.apache.avro.Schema.createArray(avroRecord(path, path + "_", field.fields()));
      case COUNT_MAP:
        return org.apache.avro.Schema.createArray(
            avroRecord(path + "_entry", path + "_entry_", entryFields()));
      default:
        throw new AssertionError(field.kind());
    }
  }

  private static org.apache.avro.Schema nullable(org.apache.avro.Schema type) {
    return org.apache.avro.Schema.createUnion(
        org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL), type);
  }

  // ---------------------------------------------------------------- BigQuery

  /**
   * The BigQuery table schema, in GoogleSQL type names: STRING, INT64, FLOAT64, BOOL, TIMESTAMP,
   * RECORD; scalar and record fields NULLABLE, repeated fields REPEATED (BigQuery has no null
   * arrays: a null array loads as empty).
   */
  public TableSchema tableSchema() {
    return new TableSchema().setFields(tableFields(fields));
  }

  private static List<TableFieldSchema> tableFields(List<Field> fields) {
    List<TableFieldSchema> out = new ArrayList<>();
    for (Field field : fields) {
      TableFieldSchema column = new TableFieldSchema().setName(field.name()).setMode("NULLABLE");
      switch (field.kind()) {
        case STRING:
          column.setType("STRING");
          break;
        case INTEGER:
          column.setType("INT64");
          break;
        case NUMBER:
          column.setType("FLOAT64");
          break;
        case BOOLEAN:
          column.setType("BOOL");
          break;
        case TIMESTAMP:
          column.setType("TIMESTAMP");
          break;
        case RECORD:
          column.setType("RECORD").setFields(tableFields(field.fields()));
          break;
        case REPEATED_RECORD:
          column.setType("RECORD").setMode("REPEATED").setFields(tableFields(field.fields()));
          break;
        case COUNT_MAP:
          column.setType("RECORD").setMode("REPEATED").setFields(tableFields(entryFields()));
          break;
        default:
          throw new AssertionError(field.kind());
      }
      out.add(column);
    }
    return out;
  }

  // ---------------------------------------------------------------- reading the JSON Schema

  /** The fields of one entry of a {@link Kind#COUNT_MAP}. */
  static List<Field> entryFields() {
    return List.of(
        new Field(ENTRY_KEY, Kind.STRING, List.of()),
        new Field(ENTRY_VALUE, Kind.INTEGER, List.of()));
  }

  private static List<Field> readProperties(
      String stream, String pathPrefix, JsonNode objectSchema) {
    List<Field> out = new ArrayList<>();
    JsonNode properties = objectSchema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      out.add(
          readField(
              stream, pathPrefix + property.getKey(), property.getKey(), property.getValue()));
    }
    return out;
  }

  private static Field readField(String stream, String path, String name, JsonNode schema) {
    String type = singleType(stream, path, schema);
    switch (type) {
      case "string":
        return new Field(
            name,
            "date-time".equals(schema.path("format").asText()) ? Kind.TIMESTAMP : Kind.STRING,
            List.of());
      case "integer":
        return new Field(name, Kind.INTEGER, List.of());
      case "number":
        return new Field(name, Kind.NUMBER, List.of());
      case "boolean":
        return new Field(name, Kind.BOOLEAN, List.of());
      case "object":
        if (schema.has("properties")) {
          return new Field(name, Kind.RECORD, readProperties(stream, path + ".", schema));
        }
        if ("integer".equals(schema.path("additionalProperties").path("type").asText())) {
          return new Field(name, Kind.COUNT_MAP, List.of());
        }
        throw unsupported(
            stream, path, "an object with neither properties nor integer additionalProperties");
      case "array":
        JsonNode items = schema.path("items");
        if ("object".equals(singleType(stream, path + "[]", items)) && items.has("properties")) {
          return new Field(name, Kind.REPEATED_RECORD, readProperties(stream, path + "[].", items));
        }
        throw unsupported(stream, path, "an array whose items are not objects with properties");
      default:
        throw unsupported(stream, path, "JSON type '" + type + "'");
    }
  }

  /** The one non-null JSON type of a property: {@code "string"} or {@code ["null", "string"]}. */
  private static String singleType(String stream, String path, JsonNode schema) {
    JsonNode type = schema.path("type");
    if (type.isTextual()) {
      return type.asText();
    }
    String found = null;
    for (JsonNode t : type) {
      if (!"null".equals(t.asText())) {
        if (found != null) {
          throw unsupported(stream, path, "more than one non-null type " + type);
        }
        found = t.asText();
      }
    }
    if (found == null) {
      throw unsupported(stream, path, "no non-null type " + type);
    }
    return found;
  }

  private static IllegalArgumentException unsupported(String stream, String path, String what) {
    return new IllegalArgumentException(
        "stream " + stream + ", field " + path + ": the typed sinks cannot represent " + what);
  }
}
