package io.instabeam.emulator;

/**
 * A Facebook page returned by {@code /me/accounts}; {@code instagramBusinessAccountId} is null for
 * pages without one.
 */
public record FacebookPage(
    String id, String name, String category, String instagramBusinessAccountId) {
  public boolean hasInstagram() {
    return instagramBusinessAccountId != null;
  }
}
