/**
 * The Graph API client every request goes through: Bearer auth, typed errors, the error policy
 * (retry, skip or fail), retries with backoff, the rate budget driven by Meta's usage headers, a
 * deadline per request, the checks an answer must pass to be read (an edge's {@code data} list, a
 * batch answer's own ids) and cursor paging with loop detection. The time it reads and waits on is
 * a {@link io.instabeam.graph.Ticker} (a fake one in tests), and what the DoFns of one run share in
 * a worker (the budgets) is held per run ({@link io.instabeam.graph.WorkerShared}).
 */
package io.instabeam.graph;
