package io.instabeam.transforms;

/**
 * The Graph API's paging constants and the account-discovery fields. What each stream requests
 * (fields, metric sets per object kind) is in {@link MetricCatalog}.
 */
public final class GraphFields {
  public static final String ACCOUNTS = "id,instagram_business_account";

  /** Page size of the media, stories and accounts edges (Meta caps them at 100). */
  public static final int PAGE_SIZE = 100;

  private GraphFields() {}
}
