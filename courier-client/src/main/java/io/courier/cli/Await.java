package io.courier.cli;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Waits for an SDK future. Commands run one at a time, so blocking is the simple way; every SDK
 * call has its own timeout (requests 15 s, HTTP 15 s), so a wait never hangs.
 */
final class Await {
    private Await() {
    }

    /** The result, or the failure itself: unchecked ones as they are, checked ones in a CompletionException. */
    static <T> T result(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("Interrupted");
        }
    }

    static RuntimeException unchecked(Throwable t) {
        Throwable cause = unwrap(t);
        return cause instanceof RuntimeException r ? r : new CompletionException(cause);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
