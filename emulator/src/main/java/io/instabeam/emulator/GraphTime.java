package io.instabeam.emulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Graph API time formats: {@code since}/{@code until} parsing and the {@code +0000} timestamps Meta
 * prints.
 */
final class GraphTime {
  private GraphTime() {}

  static final DateTimeFormatter GRAPH_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx").withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter COMPACT_OFFSET =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]xx");

  static String format(Instant instant) {
    return GRAPH_TIMESTAMP.format(instant);
  }

  /**
   * Accepts what Graph's strtotime-like parser accepts in practice: unix seconds, ISO-8601 with an
   * offset ({@code 2024-01-15T00:00:00+00:00}, {@code …Z}, {@code …+0000}), a local date-time in
   * UTC ({@code 2024-01-15 00:00:00} or {@code 2024-01-15T00:00:00}) or a date ({@code 2024-01-15},
   * midnight UTC). An unencoded {@code +} in a query string arrives as a space; it is put back.
   */
  static Instant parse(String name, String raw) {
    String value = raw.trim();
    if (value.matches("-?\\d+")) {
      return Instant.ofEpochSecond(Long.parseLong(value));
    }
    value =
        value.replaceFirst("(\\d{2}:\\d{2}(?::\\d{2})?(?:\\.\\d+)?) (\\d{2}:?\\d{2})$", "$1+$2");
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the next format
    }
    try {
      return OffsetDateTime.parse(value, COMPACT_OFFSET).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the next format
    }
    try {
      return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      // try the next format
    }
    try {
      return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException ignored) {
      throw GraphError.invalidParameter(
          "The parameter " + name + " is not a valid unix timestamp or date: " + raw);
    }
  }
}
