package io.instabeam.emulator;

import java.util.List;

/**
 * A Business portfolio (Business Manager) and the Instagram accounts it owns. Their pages are in
 * {@code me/accounts}, but without {@code instagram_business_account} unless the token has {@code
 * business_management}, as Meta does; {@code /{business-id}/owned_instagram_accounts} lists them.
 */
public record BusinessPortfolio(String id, String name, List<String> instagramAccountIds) {
  public BusinessPortfolio {
    instagramAccountIds = List.copyOf(instagramAccountIds);
  }

  public boolean owns(String instagramAccountId) {
    return instagramAccountIds.contains(instagramAccountId);
  }
}
