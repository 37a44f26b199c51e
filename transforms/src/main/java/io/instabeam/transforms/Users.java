package io.instabeam.transforms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphRequest;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code users} stream: each account's profile, with {@code page_id} added and the picture URL
 * cleaned.
 */
public final class Users extends PTransform<PCollection<Account>, PCollection<String>> {
  private final GraphApiConfig config;

  Users(GraphApiConfig config) {
    this.config = config;
  }

  @Override
  public PCollection<String> expand(PCollection<Account> accounts) {
    return accounts.apply("Fetch account profiles", ParDo.of(new FetchUser(config)));
  }

  static final class FetchUser extends GraphDoFn<Account, String> {
    FetchUser(GraphApiConfig config) {
      super(config);
    }

    @ProcessElement
    public void process(@Element Account account, OutputReceiver<String> out) {
      GraphRequest request =
          GraphRequest.get(account.businessAccountId(), account.businessAccountId())
              .with("fields", MetricCatalog.USER_FIELDS);
      ObjectNode user = (ObjectNode) client.get(request);
      user.put("page_id", account.pageId());
      RecordShape.cleanUrls(user);
      out.output(user.toString());
    }
  }
}
