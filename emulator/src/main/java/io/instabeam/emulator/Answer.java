package io.instabeam.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** What the Graph layer answers for one HTTP request: status, JSON body, and what it touched. */
record Answer(
    int status,
    JsonNode body,
    String kind,
    Set<String> accounts,
    Integer errorCode,
    List<RecordedRequest> subRequests) {

  String accountId() {
    return accounts.size() == 1 ? accounts.iterator().next() : null;
  }
}
