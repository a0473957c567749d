package dev.loxiharness.controller.k8s;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * client-go's work queue in small: a key is queued at most once, a key being processed that is
 * added again is processed again afterwards, and failed keys come back with exponential backoff.
 */
final class WorkQueue implements AutoCloseable {
    private static final long BASE_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 30_000;

    private final LinkedHashSet<String> queue = new LinkedHashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> again = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final ScheduledExecutorService delays;
    private boolean closed;

    WorkQueue(String name) {
        delays = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-delays");
            t.setDaemon(true);
            return t;
        });
    }

    synchronized void add(String key) {
        if (closed) {
            return;
        }
        if (processing.contains(key)) {
            again.add(key);
            return;
        }
        if (queue.add(key)) {
            notifyAll();
        }
    }

    void addAfter(String key, long delayMs) {
        if (delayMs <= 0) {
            add(key);
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        delays.schedule(() -> add(key), delayMs, TimeUnit.MILLISECONDS);
    }

    /** Adds the key again after a delay that doubles with each failure in a row; returns the delay. */
    long addRateLimited(String key) {
        int n;
        synchronized (this) {
            n = failures.merge(key, 1, Integer::sum);
        }
        long delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << Math.min(n - 1, 20));
        addAfter(key, delay);
        return delay;
    }

    synchronized void forget(String key) {
        failures.remove(key);
    }

    /** The next key, or null once closed. */
    synchronized String take() throws InterruptedException {
        while (queue.isEmpty() && !closed) {
            wait();
        }
        if (closed) {
            return null;
        }
        var it = queue.iterator();
        String key = it.next();
        it.remove();
        processing.add(key);
        return key;
    }

    synchronized void done(String key) {
        processing.remove(key);
        if (again.remove(key)) {
            add(key);
        }
    }

    synchronized int size() {
        return queue.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        delays.shutdownNow();
    }
}
