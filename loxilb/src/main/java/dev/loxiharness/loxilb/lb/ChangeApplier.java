package dev.loxiharness.loxilb.lb;

import dev.loxiharness.loxilb.dataplane.Dataplane;
import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.RuleError;
import dev.loxiharness.loxilb.rules.RuleException;
import dev.loxiharness.loxilb.rules.RuleTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of rule changes into the data plane. One thread takes every change waiting and
 * applies them as one transaction; a second one then runs {@code afterCommit} (persistence, probes)
 * once for the batch and answers every request of it, while the first applies the next batch. So
 * a client gets 200 only when its rule forwards traffic and is on disk, and concurrent clients
 * share the cost of one transaction and one disk sync. If a batch fails, each request's changes
 * are retried alone and only the failing ones are reverted in the table. After {@link #IDLE_MS}
 * without changes, and before it stops, it runs {@code whenIdle} (the rules file is rewritten
 * then, off the path of any request).
 */
public final class ChangeApplier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeApplier.class);

    private record Pending(List<Change> changes, CompletableFuture<Void> done) {
    }

    static final long LINGER_MAX_MS = 20;
    static final long LINGER_QUIET_MS = 2;
    static final long IDLE_MS = 1000;
    private static final Pending STOP = new Pending(List.of(), new CompletableFuture<>());

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final RuleTable table;
    private final Dataplane dataplane;
    private final Consumer<List<Change>> afterCommit;
    private final Runnable whenIdle;
    private final Thread worker;
    /** Runs {@code afterCommit} and answers the requests, in batch order, beside the worker. */
    private final ExecutorService committer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dataplane-committer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;

    public ChangeApplier(RuleTable table, Dataplane dataplane, Consumer<List<Change>> afterCommit, Runnable whenIdle) {
        this.table = table;
        this.dataplane = dataplane;
        this.afterCommit = afterCommit;
        this.whenIdle = whenIdle;
        this.worker = new Thread(this::loop, "dataplane-applier");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues changes; the future completes once they are applied, or fails with a {@link RuleException}. */
    public CompletableFuture<Void> submit(List<Change> changes) {
        Pending p = new Pending(List.copyOf(changes), new CompletableFuture<>());
        if (!running) {
            p.done().completeExceptionally(new RuleException(RuleError.DATAPLANE, "daemon is shutting down"));
            return p.done();
        }
        queue.add(p);
        return p.done();
    }

    private void loop() {
        boolean stop = false;
        while (!stop) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = queue.poll(IDLE_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    committer.execute(this::idle);
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                continue;
            }
            linger(batch);
            stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                applyBatch(batch);
            }
        }
        committer.execute(this::idle);
        committer.shutdown();
    }

    /**
     * Gathers what is queued, and keeps gathering while requests keep arriving (at most
     * {@link #LINGER_MAX_MS}): concurrent clients are still parsing their requests when the first
     * one is queued, and one nft transaction costs about the same for 1 change as for 60.
     */
    private void linger(List<Pending> batch) {
        long until = System.nanoTime() + LINGER_MAX_MS * 1_000_000L;
        while (true) {
            int before = batch.size();
            queue.drainTo(batch);
            if (batch.contains(STOP) || System.nanoTime() > until) {
                return;
            }
            if (batch.size() == before) {
                try {
                    Pending next = queue.poll(LINGER_QUIET_MS, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        return;
                    }
                    batch.add(next);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void applyBatch(List<Pending> batch) {
        List<Change> all = new ArrayList<>();
        batch.forEach(p -> all.addAll(p.changes()));
        List<Pending> failed = new ArrayList<>();
        List<RuntimeException> why = new ArrayList<>();
        try {
            dataplane.apply(all);
        } catch (RuntimeException batchError) {
            LOG.warn("batch of {} changes refused ({}); applying one request at a time", all.size(), batchError.getMessage());
            all.clear();
            for (Pending p : batch) {
                try {
                    dataplane.apply(p.changes());
                    all.addAll(p.changes());
                } catch (RuntimeException e) {
                    LOG.error("data plane refused {}: {}", p.changes(), e.getMessage());
                    for (int i = p.changes().size() - 1; i >= 0; i--) {
                        table.revert(p.changes().get(i));
                    }
                    failed.add(p);
                    why.add(e);
                }
            }
        }
        // the next batch goes into the data plane while this one is made durable
        committer.execute(() -> finish(batch, all, failed, why));
    }

    /** Runs {@code afterCommit} for what was applied, then answers each request of the batch. */
    private void finish(List<Pending> batch, List<Change> applied, List<Pending> failed, List<RuntimeException> why) {
        try {
            afterCommit.accept(applied);
        } catch (RuntimeException e) {
            LOG.error("after-commit step failed: {}", e.getMessage(), e);
        }
        for (Pending p : batch) {
            int i = failed.indexOf(p);
            if (i < 0) {
                p.done().complete(null);
            } else {
                p.done().completeExceptionally(new RuleException(RuleError.DATAPLANE, why.get(i).getMessage()));
            }
        }
    }

    private void idle() {
        try {
            whenIdle.run();
        } catch (RuntimeException e) {
            LOG.error("idle step failed: {}", e.getMessage(), e);
        }
    }

    /** Applies what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        queue.add(STOP);
        try {
            worker.join(30_000);
            committer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
