package dev.jscore;

import dev.jscore.v1.BatchRequest;
import dev.jscore.v1.BatchResponse;
import dev.jscore.v1.CallRequest;
import dev.jscore.v1.JsCoreGrpc;
import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One {@code Batch} stream ({@link JsCoreClient#batch}): an iterator of {@link BatchResult}s
 * in completion order, and an {@link AutoCloseable} that cancels what is still pending.
 *
 * <p>The stream opens on the first {@link #hasNext()}. The thread that iterates also sends:
 * before waiting for a result it pulls items from the source iterator until {@code window}
 * items are in flight, so a lazy source is consumed only as fast as results come back. Once
 * the source is exhausted and every result is in, the stream is half-closed and ends.
 *
 * <p>An item that cannot become a request (say a {@code Long} past 2^53) ends the batch: the
 * results already in flight are returned, then its {@code IllegalArgumentException} is
 * thrown; an exception of the source iterator is handled the same way. A call item naming a
 * {@link Program} object whose program the daemon lost ({@code FAILED_PRECONDITION}) is
 * retried once after the program is re-sent (one reload serves every item sent before it).
 *
 * <p>Not thread-safe: iterate from one thread ({@link #close()} may come from any).
 */
public final class BatchStream implements Iterator<BatchResult>, AutoCloseable {
  private static final int FAILED_PRECONDITION = Status.Code.FAILED_PRECONDITION.value();

  /** What the response observer hands to the iterating thread. */
  private record End(Throwable error) {}

  /** An item that may be re-sent once after its program is reloaded. */
  private record Pending(BatchRequest request, Program program, boolean retried, long sentAt) {}

  private final JsCoreClient client;
  private final Iterator<? extends BatchItem> items;
  private final int window;
  private final Duration itemTimeout;
  private final Duration streamTimeout;
  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final Map<String, ArrayDeque<Pending>> pending = new HashMap<>();
  private final Map<Program, Long> reloadedAt = new IdentityHashMap<>();
  private volatile ClientCallStreamObserver<BatchRequest> requests;
  private volatile boolean finished;
  private int inFlight;
  private int index;
  private long seq;
  private boolean exhausted;
  private boolean halfClosed;
  private RuntimeException itemFailure;
  private BatchResult next;

  BatchStream(
      JsCoreClient client, Iterator<? extends BatchItem> items, int window, Duration streamTimeout) {
    this.client = client;
    this.items = items;
    this.window = window;
    this.itemTimeout = client.timeout();
    this.streamTimeout = streamTimeout;
  }

  /** Opens the stream (on the first {@link #hasNext()}, so an unused batch costs nothing). */
  private void start() {
    CallOptions options =
        streamTimeout == null
            ? CallOptions.DEFAULT
            : CallOptions.DEFAULT.withDeadlineAfter(streamTimeout.toNanos(), TimeUnit.NANOSECONDS);
    ClientCalls.asyncBidiStreamingCall(
        client.channel().newCall(JsCoreGrpc.getBatchMethod(), options),
        new ClientResponseObserver<BatchRequest, BatchResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<BatchRequest> stream) {
            requests = stream;
          }

          @Override
          public void onNext(BatchResponse response) {
            inbox.add(response);
          }

          @Override
          public void onError(Throwable t) {
            inbox.add(new End(t));
          }

          @Override
          public void onCompleted() {
            inbox.add(new End(null));
          }
        });
  }

  @Override
  public boolean hasNext() {
    if (next == null && !finished) {
      next = fetch();
    }
    return next != null;
  }

  @Override
  public BatchResult next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the batch has no more results");
    }
    BatchResult result = next;
    next = null;
    return result;
  }

  /** The remaining results as a sequential {@link Stream}; closing it closes this batch. */
  public Stream<BatchResult> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::close);
  }

  /** Cancels the stream if results are still pending. Idempotent. */
  @Override
  public synchronized void close() {
    if (!finished) {
      finished = true;
      if (requests != null) {
        requests.cancel("batch closed by the client", null);
      }
    }
  }

  /** The next result, or null at the end of the stream. */
  private BatchResult fetch() {
    synchronized (this) {
      if (finished) {
        return null;
      }
      if (requests == null) {
        start();
      }
    }
    while (true) {
      pump();
      Object message;
      try {
        message = inbox.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new JsCoreException("interrupted while waiting for batch results",
            Status.Code.CANCELLED, null, e);
      }
      if (message instanceof BatchResponse response) {
        if (!pending.isEmpty()) {
          Pending p = take(response.getId());
          if (p != null && response.getCode() == FAILED_PRECONDITION && !p.retried()) {
            retry(p);
            continue; // the item's slot stays taken by its retry
          }
        }
        inFlight--;
        return new BatchResult(response);
      }
      Throwable error = ((End) message).error();
      boolean cancelledByUs = finished;
      finished = true;
      if (itemFailure != null) {
        throw itemFailure;
      }
      if (error != null && !cancelledByUs) {
        throw Responses.fromThrowable(error);
      }
      if (error == null && inFlight > 0) {
        throw new JsCoreException("the daemon ended the batch stream with " + inFlight
            + " items unanswered", Status.Code.INTERNAL, null, null);
      }
      return null;
    }
  }

  /** Sends items until {@code window} are in flight; half-closes when all are answered. */
  private void pump() {
    if (halfClosed || finished) {
      return;
    }
    while (inFlight < window && !exhausted) {
      BatchItem item;
      BatchRequest request;
      try {
        if (!items.hasNext()) {
          exhausted = true;
          break;
        }
        item = items.next();
        request = toRequest(item, index);
      } catch (RuntimeException e) { // the source failed, or the item cannot be sent
        itemFailure = e;
        exhausted = true;
        break;
      }
      index++;
      if (item instanceof Call call && call.programObject() != null) {
        pending.computeIfAbsent(request.getId(), k -> new ArrayDeque<>())
            .add(new Pending(request, call.programObject(), false, seq++));
      } else {
        seq++;
      }
      inFlight++;
      if (!send(request)) {
        return;
      }
    }
    if (exhausted && inFlight == 0) {
      halfClosed = true;
      if (itemFailure != null) {
        close();
        throw itemFailure;
      }
      try {
        requests.onCompleted();
      } catch (IllegalStateException e) {
        if (!finished) {
          throw e;
        }
      }
    }
  }

  /** Sends a request; false if the stream was closed meanwhile (from another thread). */
  private boolean send(BatchRequest request) {
    if (finished) {
      return false;
    }
    try {
      requests.onNext(request);
      return true;
    } catch (IllegalStateException e) { // cancelled by close() on another thread
      if (finished) {
        return false;
      }
      throw e;
    }
  }

  private BatchRequest toRequest(BatchItem item, int index) {
    if (item == null) {
      throw new IllegalArgumentException("batch item " + index + " is null");
    }
    String id = item.id() != null ? item.id() : Integer.toString(index);
    BatchRequest.Builder b = BatchRequest.newBuilder().setId(id);
    if (item instanceof Eval eval) {
      b.setEvaluate(eval.toRequest(itemTimeout));
    } else {
      b.setCall(((Call) item).toRequest(itemTimeout));
    }
    return b.build();
  }

  private Pending take(String id) {
    ArrayDeque<Pending> queue = pending.get(id);
    if (queue == null) {
      return null;
    }
    Pending p = queue.poll();
    if (queue.isEmpty()) {
      pending.remove(id);
    }
    return p;
  }

  /** Re-sends the program of a failed item (unless done since the item was sent), then it. */
  private void retry(Pending p) {
    Long reloaded = reloadedAt.get(p.program());
    if (reloaded == null || reloaded < p.sentAt()) {
      try {
        p.program().reload();
      } catch (RuntimeException e) {
        close();
        throw e;
      }
      reloadedAt.put(p.program(), seq++);
    }
    CallRequest call = p.request().getCall().toBuilder().setProgram(p.program().id()).build();
    BatchRequest again = p.request().toBuilder().setCall(call).build();
    pending.computeIfAbsent(again.getId(), k -> new ArrayDeque<>())
        .add(new Pending(again, p.program(), true, seq++));
    send(again);
  }
}
