package io.instabeam.emulator;

import java.time.Instant;

/**
 * The knobs that shape the generated data; together with the seed they fully determine the {@link
 * Dataset}.
 */
record DatasetSpec(
    long seed,
    int accounts,
    int pagesWithoutInstagram,
    int mediaPerAccount,
    int storiesPerAccount,
    double carouselShare,
    int childrenMin,
    int childrenMax,
    double reelsShare,
    int competitors,
    Instant generatedAt,
    int portfolioAccounts) {

  DatasetSpec {
    require(accounts >= 0, "accounts must be >= 0");
    require(
        portfolioAccounts >= 0 && portfolioAccounts <= accounts,
        "portfolioAccounts must be in [0, accounts]");
    require(pagesWithoutInstagram >= 0, "pagesWithoutInstagram must be >= 0");
    require(mediaPerAccount >= 0, "mediaPerAccount must be >= 0");
    require(storiesPerAccount >= 0, "storiesPerAccount must be >= 0");
    require(carouselShare >= 0 && carouselShare <= 1, "carouselShare must be in [0,1]");
    require(reelsShare >= 0 && reelsShare <= 1, "reelsShare must be in [0,1]");
    require(competitors >= 0, "competitors must be >= 0");
    require(carouselShare + reelsShare <= 1, "carouselShare + reelsShare must be <= 1");
    // Meta allows 2 to 10 (now 20) slides per carousel.
    require(
        childrenMin >= 1 && childrenMax >= childrenMin && childrenMax <= 20,
        "children range must satisfy 1 <= min <= max <= 20");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
