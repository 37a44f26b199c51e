package io.instabeam.transforms;

import java.io.Serializable;

/**
 * An Instagram business account and the Facebook page it is linked to: the partition of every other
 * stream.
 */
public record Account(String pageId, String businessAccountId) implements Serializable {}
