/**
 * The Graph API client every request goes through: Bearer auth, typed errors, the error policy (retry, skip or
 * fail), retries with backoff, the rate budget driven by Meta's usage headers, a deadline per request, the checks an
 * answer must pass to be read (an edge's {@code data} list, a batch answer's own ids) and cursor paging with loop
 * detection.
 */
package io.instabeam.graph;
