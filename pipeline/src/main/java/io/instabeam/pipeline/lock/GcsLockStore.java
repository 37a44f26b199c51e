package io.instabeam.pipeline.lock;

import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.HttpResponseException;
import com.google.api.services.storage.Storage;
import com.google.api.services.storage.model.StorageObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.extensions.gcp.util.Transport;
import org.apache.beam.sdk.extensions.gcp.util.gcsfs.GcsPath;

/**
 * A lock object on Cloud Storage, changed only under a generation precondition: it is created only
 * if absent ({@code ifGenerationMatch=0}), and replaced or deleted only at the generation that was
 * read, so a heartbeat or a takeover never overwrites a lock that another run wrote meanwhile.
 * Beam's {@code FileSystems} cannot express a precondition, so this uses the Cloud Storage client
 * that Beam's own {@code GcsUtil} is built on, from the same options: the same credentials, and
 * {@code --gcsEndpoint} when it is set (an emulator).
 */
final class GcsLockStore implements LockStore {
  private static final int PRECONDITION_FAILED = 412;
  private static final int NOT_FOUND = 404;
  private static final String TEXT = "text/plain";

  private final Storage storage;
  private final GcsPath path;

  GcsLockStore(GcsOptions options, String gcsPath) {
    this.storage = Transport.newStorageClient(options).build();
    this.path = GcsPath.fromUri(gcsPath);
  }

  @Override
  public Stored read() throws IOException {
    try {
      StorageObject object = storage.objects().get(path.getBucket(), path.getObject()).execute();
      try (InputStream in =
          storage
              .objects()
              .get(path.getBucket(), path.getObject())
              .setGeneration(object.getGeneration())
              .executeMediaAsInputStream()) {
        return stored(object, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (HttpResponseException e) {
      if (e.getStatusCode() == NOT_FOUND) {
        return null; // none, or deleted between the two reads
      }
      throw e;
    }
  }

  @Override
  public Stored create(String text) throws IOException {
    return write(text, 0L);
  }

  @Override
  public Stored replace(Stored expected, String text) throws IOException {
    return write(text, expected.generation());
  }

  /**
   * Writes {@code text} if the object's generation is {@code generation} (0: if there is no
   * object).
   */
  private Stored write(String text, long generation) throws IOException {
    Storage.Objects.Insert insert =
        storage
            .objects()
            .insert(
                path.getBucket(),
                new StorageObject().setName(path.getObject()).setContentType(TEXT),
                new ByteArrayContent(TEXT, text.getBytes(StandardCharsets.UTF_8)));
    insert.setIfGenerationMatch(generation);
    insert
        .getMediaHttpUploader()
        .setDirectUploadEnabled(true); // one request: the precondition applies to it
    try {
      return stored(insert.execute(), text);
    } catch (HttpResponseException e) {
      if (e.getStatusCode() == PRECONDITION_FAILED) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public boolean delete(Stored expected) throws IOException {
    try {
      // Naming the generation as well as matching it: either alone would be enough on Cloud
      // Storage, but some
      // emulators honour only the first.
      storage
          .objects()
          .delete(path.getBucket(), path.getObject())
          .setGeneration(expected.generation())
          .setIfGenerationMatch(expected.generation())
          .execute();
      return true;
    } catch (HttpResponseException e) {
      if (e.getStatusCode() == PRECONDITION_FAILED || e.getStatusCode() == NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  private static Stored stored(StorageObject object, String text) {
    return new Stored(
        text, object.getGeneration(), Instant.ofEpochMilli(object.getUpdated().getValue()));
  }

  @Override
  public String path() {
    return path.toString();
  }
}
