package dev.loxiharness.loxilb.bgp;

import dev.loxiharness.loxilb.rules.HaState;
import dev.loxiharness.loxilb.rules.LbRule;
import dev.loxiharness.loxilb.rules.RuleEvents;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * loxilb's BGP mode: the real gobgpd under supervision, VIPs of rules with {@code bgp: true}
 * advertised (reference-counted per IP), learnt best paths written into the kernel, and the
 * REST-configured global settings and neighbours put back whenever gobgpd restarts.
 */
public final class BgpSpeaker implements RuleEvents, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BgpSpeaker.class);
    /** Where loxilb looks for gobgpd's config, in order (the seed's path first). */
    public static final List<Path> CONFIG_CANDIDATES = List.of(Path.of("/opt/loxilb/gobgp_loxilb.yaml"),
            Path.of("/etc/gobgp/gobgp_loxilb.yaml"), Path.of("/etc/gobgp/gobgp.conf"));
    static final long RESYNC_SECONDS = 2;

    /** A neighbour added over REST, to put back after a gobgpd restart. */
    public record Neighbour(String address, long remoteAs, int remotePort, boolean multihop) {
    }

    /** Global settings posted over REST. */
    public record GlobalConfig(long asn, String routerId, int listenPort) {
    }

    private final GobgpClient client;
    private final GobgpdProcess gobgpd;
    private final KernelRoutes kernel = new KernelRoutes();
    private final Map<String, Integer> vipRefs = new LinkedHashMap<>();
    private final Map<String, Neighbour> neighbours = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bgp-rib-sync");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean resyncQueued = new AtomicBoolean();
    private volatile GlobalConfig global;
    private volatile long localAsn;
    /** The default cluster instance's HA state, which decides the VIPs' MED and local preference. */
    private volatile HaState ha = HaState.NOT_DEFINED;
    private volatile boolean closed;

    /**
     * @param config gobgpd's config file, or null to wait for {@code POST /config/bgp/global}
     */
    public BgpSpeaker(Path config, String apiHostPort) {
        this.client = new GobgpClient(apiHostPort);
        this.gobgpd = new GobgpdProcess(config, apiHostPort, this::gobgpdStarted);
    }

    /** The config gobgpd should use: {@code override} if given, else the first of the usual places. */
    public static Path locateConfig(Path override) {
        return override != null ? override : GobgpdProcess.firstExisting(CONFIG_CANDIDATES);
    }

    /** What is wrong with a config file, as gobgpd's own check says; empty when it is fine. */
    public static String checkConfig(Path config) {
        return GobgpdProcess.check(config);
    }

    public void start() {
        gobgpd.start();
        timer.scheduleWithFixedDelay(this::resync, RESYNC_SECONDS, RESYNC_SECONDS, TimeUnit.SECONDS);
    }

    public GobgpClient client() {
        return client;
    }

    public long gobgpdPid() {
        return gobgpd.pid();
    }

    /** Runs on the supervisor thread after every start of gobgpd. */
    private void gobgpdStarted() {
        for (int i = 0; i < 200 && !client.reachable() && !closed; i++) {
            sleep(50);
        }
        if (closed) {
            return;
        }
        GlobalConfig g = global;
        try {
            if (g != null && client.global().getAsn() == 0) {
                client.startBgp(g.asn(), g.routerId(), g.listenPort());
            }
            localAsn = client.global().getAsn();
            synchronized (this) {
                for (Neighbour n : neighbours.values()) {
                    addPeerQuietly(n);
                }
                if (localAsn != 0) {
                    vipRefs.keySet().forEach(vip -> client.announce(vip, localAsn, ha));
                }
            }
            client.watchBestPaths(this::queueResync, () -> {
                if (!closed) {
                    LOG.debug("gobgpd event stream ended");
                }
            });
            queueResync();
            LOG.info("gobgpd ready: AS {}, {} VIPs advertised, {} REST neighbours", localAsn, vipRefs.size(), neighbours.size());
        } catch (StatusRuntimeException e) {
            LOG.error("gobgpd started but its API failed: {}", e.getStatus());
        }
    }

    private void addPeerQuietly(Neighbour n) {
        try {
            client.addPeer(n.address(), n.remoteAs(), n.remotePort(), n.multihop(), 1);
        } catch (StatusRuntimeException e) {
            LOG.debug("neighbour {} not re-added: {}", n.address(), e.getStatus().getDescription());
        }
    }

    @Override
    public synchronized void created(LbRule rule) {
        if (!rule.bgp()) {
            return;
        }
        String vip = rule.key().vip();
        int refs = vipRefs.merge(vip, 1, Integer::sum);
        if (refs == 1 && localAsn != 0) {
            try {
                client.announce(vip, localAsn, ha);
            } catch (StatusRuntimeException e) {
                LOG.warn("VIP {} not advertised now ({}); it will be when gobgpd is back", vip, e.getStatus());
            }
        }
    }

    @Override
    public synchronized void deleted(LbRule rule, boolean withdrawRoute) {
        if (!rule.bgp()) {
            return;
        }
        String vip = rule.key().vip();
        if (!withdrawRoute) {
            LOG.warn("rule {} deleted without bgp=true: its VIP stays advertised, as upstream does", rule.key());
            return;
        }
        Integer refs = vipRefs.get(vip);
        if (refs == null) {
            return;
        }
        if (refs > 1) {
            vipRefs.put(vip, refs - 1);
            return;
        }
        vipRefs.remove(vip);
        if (localAsn != 0) {
            try {
                client.withdraw(vip, localAsn);
            } catch (StatusRuntimeException e) {
                LOG.warn("VIP {} not withdrawn ({})", vip, e.getStatus());
            }
        }
    }

    /**
     * The default instance's HA state changed ({@code POST /config/cistate}): every VIP is advertised
     * again with the master's or the backup's attributes, as upstream's UpdateCIState does.
     */
    public synchronized void haStateChanged(HaState state) {
        ha = state;
        if (localAsn == 0) {
            return;
        }
        for (String vip : vipRefs.keySet()) {
            try {
                client.announce(vip, localAsn, ha);
            } catch (StatusRuntimeException e) {
                LOG.warn("VIP {} not advertised again as {} ({})", vip, ha, e.getStatus());
            }
        }
        LOG.info("HA state {}: {} VIPs advertised again", ha, vipRefs.size());
    }

    /** POST /config/bgp/global: starts BGP with these settings (kept for restarts). */
    public synchronized void setGlobal(GlobalConfig g) {
        this.global = g;
        if (client.global().getAsn() == 0) {
            client.startBgp(g.asn(), g.routerId(), g.listenPort());
        }
        localAsn = client.global().getAsn();
        vipRefs.keySet().forEach(vip -> client.announce(vip, localAsn, ha));
        client.watchBestPaths(this::queueResync, () -> { });
    }

    public synchronized void addNeighbour(Neighbour n) {
        client.addPeer(n.address(), n.remoteAs(), n.remotePort(), n.multihop(), 1);
        neighbours.put(n.address(), n);
    }

    public synchronized void deleteNeighbour(String address) {
        client.deletePeer(address);
        neighbours.remove(address);
    }

    public synchronized Map<String, Integer> advertisedVips() {
        return new LinkedHashMap<>(vipRefs);
    }

    private void queueResync() {
        if (!closed && resyncQueued.compareAndSet(false, true)) {
            timer.schedule(this::resync, 20, TimeUnit.MILLISECONDS);
        }
    }

    private void resync() {
        resyncQueued.set(false);
        if (closed) {
            return;
        }
        try {
            kernel.sync(client.learnedBestRoutes());
        } catch (StatusRuntimeException e) {
            LOG.debug("RIB not synced to the kernel now: {}", e.getStatus());
        } catch (RuntimeException e) {
            LOG.warn("RIB sync to the kernel failed: {}", e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        gobgpd.close();
        client.close();
        kernel.clear();
    }
}
