package io.instabeam.schemas;

/**
 * A record value whose JSON type does not match its stream's schema, under {@link
 * RecordConverter.OnMismatch#FAIL}.
 */
public final class RecordTypeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String stream;
  private final String field;

  RecordTypeException(String stream, String field, String message) {
    super(message);
    this.stream = stream;
    this.field = field;
  }

  public String stream() {
    return stream;
  }

  /** The field's path, e.g. {@code children[].timestamp}. */
  public String field() {
    return field;
  }
}
