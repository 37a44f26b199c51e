package io.instabeam.graph;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call budget of one Instagram account (or of the app) in one run, shared by every thread of a
 * worker JVM.
 *
 * <p>Meta reports usage as whole percentages of a budget counted over a rolling window, and does
 * not say how big the budget is. So the budget learns the share of one call from the headers: a
 * response reporting {@code u}% while {@code n} of our calls are surely counted in the window means
 * one call is worth less than {@code (u+1)/n}% (the percentage is rounded down). With that share it
 * knows how many calls fit under the ceiling, and since it remembers when each of its calls
 * finished, it knows when the oldest ones leave the window and make room. It never lets a call out
 * that would take usage past the ceiling, so Meta never has to refuse one. If usage rises faster
 * than our own calls explain (other workers, or a smaller budget), it re-learns the share from the
 * latest header.
 *
 * <p>After a rate-limit error it waits for {@code estimated_time_to_regain_access}: calling on
 * would only extend the block. A caller whose deadline comes before the end of that block, or whose
 * pacing would take longer than it may wait, is refused at once ({@link WaitTooLong}) instead of
 * sleeping past it. Every wait longer than {@link #LOGGED_WAIT_MILLIS} is logged once, with its
 * reason and end. Concurrency is bounded separately, by a semaphore per account. Time is read and
 * waited on through a {@link Ticker}.
 */
final class RateBudget {
  private static final Logger LOG = LoggerFactory.getLogger(RateBudget.class);
  private static final WorkerShared<RateBudget> BUDGETS = new WorkerShared<>();

  /** The account id of the app's budget. */
  static final String APP = "app";

  /**
   * Waits longer than this are logged, so that an operator sees why a run is idle and until when.
   */
  static final long LOGGED_WAIT_MILLIS = 5_000;

  /**
   * How long a waiting caller sleeps at most before it looks again (a release or a header may have
   * made room).
   */
  private static final long RECHECK_MILLIS = 50;

  /**
   * Calls of ours that finished within the window: when the request was sent and answered, its
   * calls, and how many of them Meta surely counted (answered with data or a Graph error; not lost
   * to a transport fault or a 5xx).
   */
  private record Spent(long sentAt, long doneAt, int calls, int answered) {}

  /** Calls a caller may make now, reserved until {@link #release}. */
  static final class Permit {
    final long sentAt;
    int calls;
    final long waitedMillis;

    private Permit(long sentAt, int calls, long waitedMillis) {
      this.sentAt = sentAt;
      this.calls = calls;
      this.waitedMillis = waitedMillis;
    }
  }

  /**
   * A wait the budget would impose that ends after the caller's deadline; the message says why and
   * until when.
   */
  static final class WaitTooLong extends Exception {
    WaitTooLong(String message) {
      super(message, null, false, false);
    }
  }

  private final Ticker ticker;

  /** Whose budget this is, for messages: "account 1784…" or "the app". */
  private final String subject;

  private final Semaphore inFlight;
  private final int ceilingPercent;
  private final long windowMillis;
  private final ArrayDeque<Spent> spent = new ArrayDeque<>();
  private int inFlightCalls;

  /** The usage percentage one call adds, learned from the headers; 0 while unknown. */
  private double percentPerCall;

  /**
   * Whether a first call has been answered: until then only one call goes out, to learn the usage
   * safely.
   */
  private boolean probed;

  private long blockedUntilMillis;

  /**
   * Why calls are blocked until {@link #blockedUntilMillis}: who asked for the wait, and for how
   * long.
   */
  private String blockReason = "";

  /**
   * The end of the last block and of the last pacing wait that were logged, so each is logged once.
   */
  private long loggedBlockUntilMillis;

  private long loggedPaceUntilMillis;

  private RateBudget(
      Ticker ticker, String subject, int maxConcurrent, int ceilingPercent, long windowMillis) {
    this.ticker = ticker;
    this.subject = subject;
    this.inFlight = new Semaphore(Math.max(1, maxConcurrent), true);
    this.ceilingPercent = ceilingPercent;
    this.windowMillis = windowMillis;
  }

  /**
   * The budget of {@code account} (its id, or {@link #APP}) in {@code run}: one per worker JVM
   * whatever the number of DoFns and clients, for as long as a client holds it. Another run, or a
   * client on another ticker (a test's), gets a budget of its own, with its own limits.
   */
  static RateBudget of(
      String run,
      Ticker ticker,
      String account,
      int maxConcurrent,
      int ceilingPercent,
      long windowMillis) {
    String subject = account.equals(APP) ? "the app" : "account " + account;
    return BUDGETS.get(
        List.of(run, ticker, account),
        () -> new RateBudget(ticker, subject, maxConcurrent, ceilingPercent, windowMillis));
  }

  /** {@link #acquire(int, long, long)} without a deadline. */
  Permit acquire(int wanted) throws InterruptedException {
    try {
      return acquire(wanted, Long.MAX_VALUE, Long.MAX_VALUE);
    } catch (WaitTooLong e) {
      throw new IllegalStateException(e.getMessage(), e); // cannot happen without a deadline
    }
  }

  /**
   * Blocks until at least one of {@code wanted} calls may go out without taking usage past the
   * ceiling, and reserves as many as fit now (at least one, at most {@code wanted}). Refused at
   * once: a block that Meta asked for and that lasts past {@code deadlineMillis} (the caller could
   * not call before its deadline anyway), and pacing that would take longer than {@code
   * longestPacingMillis} (at most one window, which the operator may have set longer than the time
   * a request may wait).
   */
  Permit acquire(int wanted, long deadlineMillis, long longestPacingMillis)
      throws InterruptedException, WaitTooLong {
    long started = ticker.millis();
    inFlight.acquire();
    try {
      synchronized (this) {
        while (true) {
          long now = ticker.millis();
          forgetCallsOutsideWindow(now);
          long pause = blockedUntilMillis - now;
          if (pause > 0 && blockedUntilMillis > deadlineMillis) {
            throw new WaitTooLong(blockReason);
          }
          int room = room();
          if (pause <= 0 && room > 0) {
            int calls = Math.min(wanted, room);
            inFlightCalls += calls;
            return new Permit(now, calls, now - started);
          }
          long wait = pause > 0 ? pause : untilRoomMillis(now);
          if (pause <= 0 && !spent.isEmpty() && wait > longestPacingMillis) {
            // No room before the oldest of our calls leaves the window, and that is further off
            // than allowed.
            throw new WaitTooLong(
                "the rate budget of "
                    + subject
                    + " is used up to the "
                    + ceilingPercent
                    + "% ceiling (by Meta's usage headers); the next call would fit in "
                    + (wait + 999) / 1000
                    + " s (at "
                    + Instant.ofEpochMilli(now + wait)
                    + ")");
          }
          logLongWait(now, pause > 0, wait);
          ticker.await(this, Math.max(1, pause > 0 ? pause : Math.min(RECHECK_MILLIS, wait)));
        }
      }
    } catch (InterruptedException | WaitTooLong | RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  /**
   * Logs a wait longer than {@link #LOGGED_WAIT_MILLIS} once: a block on its start, pacing once per
   * window.
   */
  private void logLongWait(long now, boolean blocked, long waitMillis) {
    if (waitMillis <= LOGGED_WAIT_MILLIS) {
      return;
    }
    if (blocked && blockedUntilMillis > loggedBlockUntilMillis + LOGGED_WAIT_MILLIS) {
      loggedBlockUntilMillis = blockedUntilMillis;
      LOG.warn(
          "Waiting {} s, until {}, before calling for {}: {}",
          (waitMillis + 999) / 1000,
          Instant.ofEpochMilli(blockedUntilMillis),
          subject,
          blockReason);
    } else if (!blocked && now >= loggedPaceUntilMillis) {
      loggedPaceUntilMillis = now + waitMillis;
      LOG.info(
          "Pacing the calls for {}: its usage is at the {}% ceiling; the next call fits in {} s, at {} (its "
              + "oldest calls then leave Meta's {} s window)",
          subject,
          ceilingPercent,
          (waitMillis + 999) / 1000,
          Instant.ofEpochMilli(now + waitMillis),
          windowMillis / 1000);
    }
  }

  /**
   * Gives back the part of a permit that will not be used (a batch cut down to what another budget
   * allowed).
   */
  synchronized void shrink(Permit permit, int calls) {
    inFlightCalls -= permit.calls - calls;
    permit.calls = calls;
    notifyAll();
  }

  /**
   * The permit's calls are over ({@code answered} of them got a real answer): they age out of the
   * window from this moment on.
   */
  void release(Permit permit, int answered) {
    synchronized (this) {
      inFlightCalls -= permit.calls;
      spent.addLast(new Spent(permit.sentAt, ticker.millis(), permit.calls, answered));
      probed = true;
      notifyAll();
    }
    inFlight.release();
  }

  /**
   * Learns from the usage a response to {@code permit} reported (the highest of call count, CPU
   * time and total time, in percent; {@code answered} of the permit's calls got a real answer) and
   * from Meta's estimate of when a blocked account may call again. A null permit (a header about an
   * account the request was not for) only carries the regain-access estimate.
   */
  synchronized void observeUsage(
      Permit permit, int answered, int usagePercent, int regainAccessMinutes) {
    long now = ticker.millis();
    forgetCallsOutsideWindow(now);
    if (regainAccessMinutes > 0) {
      // Meta rounds to whole minutes; a rolling window is empty at the latest one window after our
      // last call.
      block(
          Math.min(regainAccessMinutes * 60_000L, windowMillis),
          "Meta asks to wait "
              + regainAccessMinutes
              + (regainAccessMinutes == 1 ? " minute" : " minutes")
              + " (until "
              + Instant.ofEpochMilli(now + regainAccessMinutes * 60_000L)
              + ") for "
              + subject);
    }
    // Calls surely counted by Meta: this request's answered ones, and the answered ones of ours
    // that finished before
    // it was sent and were sent within the window (sent after Meta's window start, so received
    // after it too).
    if (permit == null) {
      return;
    }
    int counted = answered;
    for (Spent s : spent) {
      if (s.doneAt <= permit.sentAt && s.sentAt > now - windowMillis) {
        counted += s.answered;
      }
    }
    if (counted == 0) {
      return; // nothing of ours is surely counted yet (or the header was about another account):
      // nothing to learn
    }
    // Calls that may be counted: every call of ours still in the window.
    int ours = inFlightCalls + spentCalls();
    double upperBound = (usagePercent + 1.0) / counted;
    double lowerBound = (double) usagePercent / Math.max(1, ours);
    if (percentPerCall == 0 || lowerBound > percentPerCall) {
      percentPerCall =
          upperBound; // first header, or someone else spends this budget too: learn afresh
    } else {
      percentPerCall = Math.min(percentPerCall, upperBound);
    }
    notifyAll();
  }

  /**
   * After a rate-limit error: no call for this scope before {@code pauseMillis} from now. {@code
   * reason} says who asked for the wait (for the log, and for the error of a caller whose deadline
   * comes first).
   */
  synchronized void block(long pauseMillis, String reason) {
    long until = ticker.millis() + pauseMillis;
    if (until > blockedUntilMillis) {
      blockedUntilMillis = until;
      blockReason = reason;
    }
    notifyAll();
  }

  /** The subject of this budget, for messages: "account 1784…" or "the app". */
  String subject() {
    return subject;
  }

  /**
   * The calls that still fit in the window under the ceiling (never the last percent before Meta's
   * limit).
   */
  private int room() {
    if (!probed) {
      return inFlightCalls == 0 ? 1 : 0;
    }
    if (percentPerCall == 0) {
      return Integer.MAX_VALUE; // no usage header yet: Meta shows none until enough calls were made
    }
    double usable = Math.min(ceilingPercent, 100 - percentPerCall);
    // At least one call per window, so that an estimate inflated by someone else's spending can
    // come down again.
    int fit = Math.max(1, (int) Math.floor(usable / percentPerCall + 1e-9));
    return fit - inFlightCalls - spentCalls();
  }

  /** How long until the oldest of our calls leaves the window. */
  private long untilRoomMillis(long now) {
    Spent oldest = spent.peekFirst();
    return oldest == null ? RECHECK_MILLIS : Math.max(1, oldest.doneAt + windowMillis - now);
  }

  private int spentCalls() {
    int calls = 0;
    for (Spent s : spent) {
      calls += s.calls;
    }
    return calls;
  }

  private void forgetCallsOutsideWindow(long now) {
    for (Iterator<Spent> it = spent.iterator(); it.hasNext(); ) {
      if (it.next().doneAt <= now - windowMillis) {
        it.remove();
      } else {
        break; // answered in order: the rest are younger
      }
    }
  }
}
