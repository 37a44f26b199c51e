package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.schemas.StreamCatalog;
import org.junit.jupiter.api.Test;

class StreamsTest {
  @Test
  void everyCatalogStreamHasOneReaderInTheCatalogsOrder() {
    assertEquals(StreamCatalog.all(), Streams.definitions());
  }

  @Test
  void everyRelationPointsToAStreamOfTheCatalog() {
    for (Streams.Stream stream : Streams.ALL) {
      if (stream.parent() != null) {
        assertTrue(
            StreamCatalog.names().contains(stream.parent().other()),
            stream.name() + " → " + stream.parent());
      }
    }
  }
}
