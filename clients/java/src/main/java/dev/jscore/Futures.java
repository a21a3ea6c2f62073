package dev.jscore;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** CompletableFuture plumbing: cancelling a future the client returned cancels its RPC. */
final class Futures {
  private Futures() {}

  /** {@code source.thenApply(fn)}, whose cancellation cancels {@code source}. */
  static <T, R> CompletableFuture<R> map(
      CompletableFuture<T> source, Function<? super T, ? extends R> fn) {
    return onCancel(source.thenApply(fn), source);
  }

  /** Returns {@code future}, made to cancel {@code upstream} when it is cancelled. */
  static <T> CompletableFuture<T> onCancel(CompletableFuture<T> future, CompletableFuture<?> upstream) {
    future.whenComplete((value, failure) -> {
      if (future.isCancelled()) {
        upstream.cancel(false);
      }
    });
    return future;
  }
}
