/**
 * The Graph API client every request goes through: Bearer auth, typed errors, the error policy (retry, skip or
 * fail), retries with backoff, and the rate budget driven by Meta's usage headers.
 */
package io.instabeam.graph;
