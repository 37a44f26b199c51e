package io.instabeam.emulator;

import java.util.Map;

/**
 * One request the emulator served. {@code path} has no version ("/123/insights"), {@code params}
 * never contain the access token, {@code kind} is the endpoint kind (see {@link EndpointKind}),
 * {@code accountId} the IG account it was charged to (null when none or several), {@code errorCode}
 * the Graph error code when the answer was an error. Batch sub-requests and the individual ids of
 * {@code ?ids=} are recorded with {@code batched = true}, after the HTTP request that carried them.
 */
public record RecordedRequest(
    String method,
    String path,
    Map<String, String> params,
    String kind,
    String accountId,
    int status,
    Integer errorCode,
    boolean batched) {}
