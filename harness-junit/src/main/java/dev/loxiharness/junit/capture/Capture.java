package dev.loxiharness.junit.capture;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.LinuxSllPacket;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A packet capture on one interface of a network namespace, written to a {@code .pcap} file and
 * decoded for assertions. libpcap opens its socket in the network namespace of the calling thread,
 * so the capture runs in a thread of its own that first enters the namespace with {@code setns(2)}
 * (the JVM's other threads stay where they are). Immediate mode delivers each packet at once;
 * reads are non-blocking (an idle link is polled every 5 ms) so {@link #stop()} takes effect
 * whether or not packets flow, after draining what the kernel already queued; {@code pcap_breakloop}
 * is the fallback, and a thread that still does not end is abandoned (it is a daemon) rather than
 * allowed to hang the test.
 */
public final class Capture implements AutoCloseable {
    private static final int SNAPLEN = 65535;
    private static final int READ_TIMEOUT_MS = 100;
    private static final Duration DRAIN = Duration.ofMillis(300);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_DECODED = 10_000;
    private static final long IDLE_POLL_MS = 5;

    static {
        PcapLibrary.locate();
        // pcap4j logs every open, close and breakloop at INFO
        if (System.getProperty("org.slf4j.simpleLogger.log.org.pcap4j") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.pcap4j", "warn");
        }
    }

    private final String where;
    private final Path file;
    private final Consumer<Capture> onStop;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final List<CapturedPacket> packets = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean stopping;
    private volatile PcapHandle handle;
    private volatile Throwable failure;
    private List<CapturedPacket> stopped;

    private Capture(String node, Path netns, String iface, String filter, Path file, Consumer<Capture> onStop) {
        this.where = node + ":" + iface;
        this.file = file;
        this.onStop = onStop;
        this.thread = new Thread(() -> run(netns, iface, filter), "capture " + where);
        this.thread.setDaemon(true);
    }

    /**
     * Starts capturing on {@code iface} of {@code node}, inside its network namespace {@code netns}
     * (a file to {@code setns(2)} into: {@code /run/netns/NAME}, {@code /proc/PID/ns/net}); returns once
     * the handle is open and the filter set, so no packet sent after this returns is missed.
     * {@code filter} is a BPF expression ({@code tcp port 8888}) or null.
     */
    public static Capture start(String node, Path netns, String iface, String filter, Path file, Consumer<Capture> onStop) {
        Capture c = new Capture(node, netns, iface, filter, file, onStop);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        c.thread.start();
        try {
            c.ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("capture on " + c.where + " did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            c.stopping = true;
            throw new IllegalStateException("capture on " + c.where + " did not start within " + START_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.stopping = true;
            throw new IllegalStateException("interrupted while starting the capture on " + c.where);
        }
        return c;
    }

    private void run(Path netns, String iface, String filter) {
        try {
            enter(netns);
            PcapHandle h = new PcapHandle.Builder(iface).snaplen(SNAPLEN)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MS).immediateMode(true).build();
            handle = h;
            try (h) {
                if (filter != null && !filter.isBlank()) {
                    h.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
                }
                // libpcap's read timeout does not wake an idle poll on every kernel (TPACKET_V3);
                // non-blocking reads make stop() independent of traffic
                h.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
                try (PcapDumper dumper = h.dumpOpen(file.toString())) {
                    ready.complete(null);
                    loop(h, dumper);
                    dumper.flush();
                }
            }
        } catch (Throwable t) {
            failure = t;
            ready.completeExceptionally(t);
        }
    }

    private void loop(PcapHandle h, PcapDumper dumper) throws Exception {
        DataLinkType dlt = h.getDlt();
        long drainUntil = 0;
        while (true) {
            if (stopping) {
                // what the kernel already queued is still read, briefly, so the last packets are kept
                if (drainUntil == 0) {
                    drainUntil = System.nanoTime() + DRAIN.toNanos();
                } else if (System.nanoTime() > drainUntil) {
                    return;
                }
            }
            byte[] raw;
            try {
                raw = h.getNextRawPacketEx();
            } catch (TimeoutException e) {
                // non-blocking: nothing queued right now
                if (stopping) {
                    return;
                }
                Thread.sleep(IDLE_POLL_MS);
                continue;
            } catch (EOFException e) {
                return; // pcap_breakloop
            }
            Timestamp ts = h.getTimestamp();
            dumper.dumpRaw(raw, ts);
            if (packets.size() < MAX_DECODED) {
                decode(raw, dlt, ts == null ? Instant.now() : ts.toInstant());
            }
        }
    }

    private static void enter(Path netns) {
        int fd = LibC.INSTANCE.open(netns.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        try {
            LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET);
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    private void decode(byte[] raw, DataLinkType dlt, Instant time) {
        try {
            Packet p;
            if (DataLinkType.EN10MB.equals(dlt)) {
                p = EthernetPacket.newPacket(raw, 0, raw.length);
            } else if (DataLinkType.LINUX_SLL.equals(dlt)) {
                p = LinuxSllPacket.newPacket(raw, 0, raw.length);
            } else {
                p = IpV4Packet.newPacket(raw, 0, raw.length);
            }
            IpV4Packet ip = p.get(IpV4Packet.class);
            if (ip == null) {
                return;
            }
            IpV4Packet.IpV4Header ih = ip.getHeader();
            String proto = ih.getProtocol().name();
            int sport = 0;
            int dport = 0;
            Set<String> flags = new LinkedHashSet<>();
            TcpPacket tcp = p.get(TcpPacket.class);
            UdpPacket udp = p.get(UdpPacket.class);
            if (tcp != null) {
                TcpPacket.TcpHeader th = tcp.getHeader();
                proto = "TCP";
                sport = th.getSrcPort().valueAsInt();
                dport = th.getDstPort().valueAsInt();
                if (th.getSyn()) {
                    flags.add("SYN");
                }
                if (th.getAck()) {
                    flags.add("ACK");
                }
                if (th.getPsh()) {
                    flags.add("PSH");
                }
                if (th.getFin()) {
                    flags.add("FIN");
                }
                if (th.getRst()) {
                    flags.add("RST");
                }
            } else if (udp != null) {
                proto = "UDP";
                sport = udp.getHeader().getSrcPort().valueAsInt();
                dport = udp.getHeader().getDstPort().valueAsInt();
            }
            packets.add(new CapturedPacket(time, ih.getSrcAddr().getHostAddress(), sport, ih.getDstAddr().getHostAddress(),
                    dport, proto, Set.copyOf(flags), raw.length));
        } catch (Exception e) {
            // not IPv4, or truncated: it is in the pcap file all the same
        }
    }

    /** Where it captures: {@code <namespace>:<interface>}. */
    public String where() {
        return where;
    }

    public Path file() {
        return file;
    }

    /** The packets decoded so far (the capture goes on). */
    public List<CapturedPacket> packets() {
        synchronized (packets) {
            return List.copyOf(packets);
        }
    }

    /**
     * Stops the capture (idempotent) and returns every decoded packet; the pcap file is complete
     * once this returns.
     */
    public synchronized List<CapturedPacket> stop() {
        if (stopped != null) {
            return stopped;
        }
        stopping = true;
        join(DRAIN.plusMillis(READ_TIMEOUT_MS * 3L));
        PcapHandle h = handle;
        if (thread.isAlive() && h != null) {
            try {
                h.breakLoop();
            } catch (Exception ignored) {
                // the handle closed in between: the thread is ending
            }
            join(Duration.ofSeconds(2));
        }
        stopped = packets();
        if (thread.isAlive()) {
            System.err.println("capture " + where + ": the capture thread did not end; abandoned (" + file + " may be incomplete)");
        }
        if (onStop != null) {
            onStop.accept(this);
        }
        if (failure != null && !(failure instanceof EOFException)) {
            throw new IllegalStateException("capture on " + where + " failed: " + failure, failure);
        }
        return stopped;
    }

    private void join(Duration d) {
        try {
            thread.join(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "capture " + where + " -> " + file;
    }
}
