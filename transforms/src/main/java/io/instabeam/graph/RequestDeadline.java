package io.instabeam.graph;

import com.google.api.client.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A deadline on one HTTP exchange, from connecting to the last byte of the body. The JDK's timeouts
 * bound the connect and each read only, so a server that trickles its headers or body a byte at a
 * time could hold a request for as long as it likes. At the deadline the exchange's connection is
 * closed from a timer thread, which fails a read blocked on the headers; the body is read in a loop
 * that checks the deadline between reads.
 *
 * <p>The deadline of the calling thread is found by the transport's connection factory ({@link
 * #opened}), which is how the connection that google-http-client opens for the request becomes
 * known.
 */
final class RequestDeadline implements AutoCloseable {
  private static final ThreadLocal<RequestDeadline> CURRENT = new ThreadLocal<>();

  static {
    // A body left unread (cut at its deadline) is otherwise handed to the JDK's keep-alive cleaner,
    // which drains up
    // to 512 KB of it to reuse the connection: from a server that trickles, that takes for ever,
    // and a later close of
    // the same stream waits on it (seen as a hung run). Such a connection is closed instead.
    if (System.getProperty("http.KeepAlive.remainingData") == null) {
      System.setProperty("http.KeepAlive.remainingData", "0");
    }
  }

  private static final ScheduledThreadPoolExecutor TIMER = timer();

  /**
   * Closing a connection can wait for a read in progress; never on the timer thread, which serves
   * every deadline.
   */
  private static final ExecutorService CLOSER =
      Executors.newCachedThreadPool(daemon("graph-api-deadline-close"));

  private final ScheduledFuture<?> timer;
  private volatile HttpURLConnection connection;
  private volatile boolean expired;

  private RequestDeadline(long millis) {
    this.timer = TIMER.schedule(this::expire, millis, TimeUnit.MILLISECONDS);
  }

  /** Starts the deadline of the calling thread's next exchange, {@code millis} from now. */
  static RequestDeadline start(long millis) {
    RequestDeadline deadline = new RequestDeadline(millis);
    CURRENT.set(deadline);
    return deadline;
  }

  /**
   * The connection factory's hook: a connection opened by a thread belongs to that thread's current
   * deadline.
   */
  static HttpURLConnection opened(HttpURLConnection connection) {
    RequestDeadline deadline = CURRENT.get();
    if (deadline != null) {
      deadline.connection = connection;
      if (deadline.expired) {
        deadline.disconnect();
      }
    }
    return connection;
  }

  boolean expired() {
    return expired;
  }

  /**
   * The whole body as text (in the response's charset, UTF-8 by default), read before the deadline
   * or not at all.
   */
  String readBody(HttpResponse response) throws IOException {
    InputStream content = response.getContent();
    if (content == null) {
      return "";
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = content) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        if (expired) {
          throw new InterruptedIOException("deadline reached while reading the body");
        }
        body.write(buffer, 0, n);
      }
    }
    if (expired) {
      throw new InterruptedIOException("deadline reached while reading the body");
    }
    Charset charset = response.getContentCharset();
    return body.toString(charset == null ? StandardCharsets.UTF_8 : charset);
  }

  private void expire() {
    expired = true;
    disconnect();
  }

  private void disconnect() {
    HttpURLConnection open = connection;
    if (open != null) {
      CLOSER.execute(open::disconnect);
    }
  }

  @Override
  public void close() {
    timer.cancel(false);
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
  }

  /** The deadlines waiting on the timer: those of the exchanges still in progress. */
  static int queued() {
    return TIMER.getQueue().size();
  }

  /** One thread for every deadline of the worker. */
  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, daemon("graph-api-deadline"));
    // A request answered in time cancels its deadline, which would otherwise stay queued, holding
    // its connection,
    // for the whole --requestTimeoutSeconds: thousands of them in a busy worker.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
