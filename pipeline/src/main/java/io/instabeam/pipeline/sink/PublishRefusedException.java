package io.instabeam.pipeline.sink;

/**
 * A sink declined to publish (nothing was published): the message says why and which option would
 * allow it.
 */
public final class PublishRefusedException extends RuntimeException {
  public PublishRefusedException(String message) {
    super(message);
  }
}
