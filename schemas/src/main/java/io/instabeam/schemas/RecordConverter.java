package io.instabeam.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableRow;
import io.instabeam.schemas.StreamSchema.Field;
import io.instabeam.schemas.StreamSchema.Kind;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a stream's JSON records (Airbyte's record shape) into typed records: Avro {@link
 * GenericRecord}, BigQuery {@link TableRow} and Beam {@link Row}, following the stream's {@link
 * StreamSchema}.
 *
 * <p>Fields the schema does not declare are dropped: the API adds fields over time, and JSONL keeps
 * them, but a typed table has fixed columns and must not fail on them. A value of the wrong JSON
 * type (a string where the schema says integer, say) is by default set to null and counted in the
 * Beam counter {@code instabeam.typing / values_nulled.<stream>.<field>}, with one warning per
 * field, as Airbyte's typed destinations do: one odd value should not lose a whole sync. {@link
 * OnMismatch#FAIL} makes it an error naming stream, field and value instead.
 *
 * <p>Lossless coercions are not mismatches: integral numbers and numeric strings for integer
 * fields, any number for number fields, numbers and booleans for string fields, and Graph API
 * offsets without a colon ({@code +0000}).
 */
public final class RecordConverter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RecordConverter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String COUNTER_NAMESPACE = "instabeam.typing";

  /** RFC 3339 with or without the colon in the offset, and without an offset (read as UTC). */
  private static final DateTimeFormatter DATE_TIME =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .toFormatter();

  /** What to do with a value whose JSON type does not match the schema. */
  public enum OnMismatch {
    /** Write null and count it (the default). */
    NULL_AND_COUNT,
    /** Throw a {@link RecordTypeException} naming stream, field and value. */
    FAIL
  }

  private final StreamSchema schema;
  private final OnMismatch onMismatch;
  private transient Schema avroSchema;
  private transient Set<String> warnedFields;

  private RecordConverter(StreamSchema schema, OnMismatch onMismatch) {
    this.schema = schema;
    this.onMismatch = onMismatch;
  }

  public static RecordConverter of(StreamDefinition stream) {
    return new RecordConverter(StreamSchema.of(stream), OnMismatch.NULL_AND_COUNT);
  }

  public RecordConverter withOnMismatch(OnMismatch policy) {
    return new RecordConverter(schema, policy);
  }

  public StreamSchema schema() {
    return schema;
  }

  /** The Avro schema of the records {@link #toAvro} returns. */
  public Schema avroSchema() {
    if (avroSchema == null) {
      avroSchema = schema.avroSchema();
    }
    return avroSchema;
  }

  // ---------------------------------------------------------------- entry points

  public GenericRecord toAvro(String json) {
    return toAvro(parse(json));
  }

  /** Timestamps become microseconds since the epoch (logical type timestamp-micros). */
  public GenericRecord toAvro(JsonNode record) {
    return avroRecord(
        avroSchema(), schema.fields(), typedFields(schema.fields(), requireObject(record), ""));
  }

  public TableRow toTableRow(String json) {
    return toTableRow(parse(json));
  }

  /**
   * Null values are left out (BigQuery reads a missing column as NULL and a missing repeated column
   * as empty); timestamps are RFC 3339 strings in UTC with microsecond precision, which BigQuery
   * loads as TIMESTAMP.
   */
  public TableRow toTableRow(JsonNode record) {
    return tableRow(schema.fields(), typedFields(schema.fields(), requireObject(record), ""));
  }

  // ---------------------------------------------------------------- JSON to neutral typed values

  /**
   * The declared fields of {@code object} as Java values: String, Long, Double, Boolean, Instant, a
   * map for a record, a list of maps for a repeated record, a list of key/value maps for a count
   * map; null when absent or mismatched.
   */
  private Map<String, Object> typedFields(List<Field> fields, JsonNode object, String pathPrefix) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Field field : fields) {
      out.put(field.name(), typedValue(field, object.get(field.name()), pathPrefix + field.name()));
    }
    return out;
  }

  private Object typedValue(Field field, JsonNode value, String path) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    switch (field.kind()) {
      case STRING:
        return value.isValueNode() ? value.asText() : mismatch(path, value, "a string");
      case INTEGER:
        return integer(value, path);
      case NUMBER:
        if (value.isNumber()) {
          return value.doubleValue();
        }
        if (value.isTextual()) {
          try {
            return Double.parseDouble(value.asText());
          } catch (NumberFormatException e) {
            return mismatch(path, value, "a number");
          }
        }
        return mismatch(path, value, "a number");
      case BOOLEAN:
        return value.isBoolean() ? value.booleanValue() : mismatch(path, value, "a boolean");
      case TIMESTAMP:
        return value.isTextual()
            ? timestamp(value.asText(), path, value)
            : mismatch(path, value, "a date-time string");
      case RECORD:
        return value.isObject()
            ? typedFields(field.fields(), value, path + ".")
            : mismatch(path, value, "an object");
      case REPEATED_RECORD:
        {
          if (!value.isArray()) {
            return mismatch(path, value, "an array");
          }
          List<Map<String, Object>> items = new ArrayList<>();
          for (JsonNode item : value) {
            // Null items cannot be stored in a BigQuery array, and carry nothing: skip them.
            if (item.isObject()) {
              items.add(typedFields(field.fields(), item, path + "[]."));
            } else if (!item.isNull()) {
              mismatch(path + "[]", item, "an object");
            }
          }
          return items;
        }
      case COUNT_MAP:
        {
          if (!value.isObject()) {
            return mismatch(path, value, "an object of integers");
          }
          List<Map<String, Object>> entries = new ArrayList<>();
          for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(StreamSchema.ENTRY_KEY, e.getKey());
            entry.put(
                StreamSchema.ENTRY_VALUE,
                e.getValue().isNull() ? null : integer(e.getValue(), path + "." + e.getKey()));
            entries.add(entry);
          }
          return entries;
        }
      default:
        throw new AssertionError(field.kind());
    }
  }

  private Object integer(JsonNode value, String path) {
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isNumber()
        && value.doubleValue() == Math.rint(value.doubleValue())
        && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.asText().trim());
      } catch (NumberFormatException e) {
        return mismatch(path, value, "an integer");
      }
    }
    return mismatch(path, value, "an integer");
  }

  private Object timestamp(String text, String path, JsonNode value) {
    Optional<Instant> instant = parseTimestamp(text);
    return instant.isPresent() ? instant.get() : mismatch(path, value, "a date-time string");
  }

  /**
   * Reads a date-time the way the typed sinks do: RFC 3339 with {@code +00:00}, {@code +0000} or
   * {@code Z}, or without offset (UTC), or a plain date (midnight UTC); empty when the text is none
   * of these.
   */
  public static Optional<Instant> parseTimestamp(String text) {
    try {
      TemporalAccessor parsed = DATE_TIME.parse(text.trim());
      if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
        return Optional.of(OffsetDateTime.from(parsed).toInstant());
      }
      return Optional.of(LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException notADateTime) {
      try {
        return Optional.of(LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant());
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  private Object mismatch(String path, JsonNode value, String expected) {
    String shown = value.toString();
    if (shown.length() > 100) {
      shown = shown.substring(0, 100) + "…";
    }
    String message =
        "stream "
            + schema.streamName()
            + ", field "
            + path
            + ": expected "
            + expected
            + ", got "
            + shown;
    if (onMismatch == OnMismatch.FAIL) {
      throw new RecordTypeException(schema.streamName(), path, message);
    }
    Metrics.counter(COUNTER_NAMESPACE, "values_nulled." + schema.streamName() + "." + path).inc();
    if (warnedFields == null) {
      warnedFields = Collections.newSetFromMap(new ConcurrentHashMap<>());
    }
    if (warnedFields.add(path)) {
      LOG.warn("{}; writing null (further values of this field are only counted)", message);
    }
    return null;
  }

  // ---------------------------------------------------------------- neutral values to each target

  @SuppressWarnings("unchecked")
  private static GenericRecord avroRecord(
      Schema recordSchema, List<Field> fields, Map<String, Object> values) {
    GenericData.Record record = new GenericData.Record(recordSchema);
    for (Field field : fields) {
      Object value = values.get(field.name());
      if (value == null) {
        continue;
      }
      Schema fieldSchema = nonNull(recordSchema.getField(field.name()).schema());
      switch (field.kind()) {
        case TIMESTAMP:
          record.put(field.name(), ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) value));
          break;
        case RECORD:
          record.put(
              field.name(), avroRecord(fieldSchema, field.fields(), (Map<String, Object>) value));
          break;
        case REPEATED_RECORD:
        case COUNT_MAP:
          {
            List<Field> itemFields =
                field.kind() == Kind.COUNT_MAP ? StreamSchema.entryFields() : field.fields();
            List<GenericRecord> items = new ArrayList<>();
            for (Map<String, Object> item : (List<Map<String, Object>>) value) {
              items.add(avroRecord(fieldSchema.getElementType(), itemFields, item));
            }
            record.put(field.name(), new GenericData.Array<>(fieldSchema, items));
            break;
          }
        default:
          record.put(field.name(), value);
      }
    }
    return record;
  }

  private static Schema nonNull(Schema union) {
    for (Schema branch : union.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        return branch;
      }
    }
    throw new IllegalStateException("union without a non-null branch: " + union);
  }

  @SuppressWarnings("unchecked")
  private static TableRow tableRow(List<Field> fields, Map<String, Object> values) {
    TableRow row = new TableRow();
    for (Field field : fields) {
      Object value = values.get(field.name());
      if (value == null) {
        continue;
      }
      switch (field.kind()) {
        case TIMESTAMP:
          row.set(
              field.name(),
              DateTimeFormatter.ISO_INSTANT.format(
                  ((Instant) value).truncatedTo(ChronoUnit.MICROS)));
          break;
        case RECORD:
          row.set(field.name(), tableRow(field.fields(), (Map<String, Object>) value));
          break;
        case REPEATED_RECORD:
        case COUNT_MAP:
          {
            List<Field> itemFields =
                field.kind() == Kind.COUNT_MAP ? StreamSchema.entryFields() : field.fields();
            List<TableRow> items = new ArrayList<>();
            for (Map<String, Object> item : (List<Map<String, Object>>) value) {
              items.add(tableRow(itemFields, item));
            }
            row.set(field.name(), items);
            break;
          }
        default:
          row.set(field.name(), value);
      }
    }
    return row;
  }

  @SuppressWarnings("unchecked")

  // ---------------------------------------------------------------- parsing

  private JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "stream "
              + schema.streamName()
              + ": a record is not valid JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }

  private JsonNode requireObject(JsonNode record) {
    if (record == null || !record.isObject()) {
      throw new IllegalArgumentException(
          "stream "
              + schema.streamName()
              + ": a record must be a JSON object, got "
              + (record == null ? "null" : record.getNodeType()));
    }
    return record;
  }
}
