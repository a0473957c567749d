package dev.loxiharness.controller.ipam;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One external address pool, with the allocation rules of loxilib's {@code IPAllocator} as
 * kube-loxilb and loxi-ccm use it.
 *
 * <ul>
 *   <li>A CIDR whose host part is not zero starts there: {@code 123.123.123.15/24} hands out .15,
 *       .16, ... .254. Network and broadcast addresses are never handed out (upstream does hand
 *       them out for prefixes that are not a multiple of 8; we do not). A range {@code a-b} hands
 *       out a..b inclusive. At most 65,535 addresses per pool, as upstream.</li>
 *   <li>Free addresses come in upstream's order: never-used addresses in ascending order first,
 *       then released ones in the order they were released.</li>
 *   <li>Shared mode (the default, as kube-loxilb without {@code --setUniqueIP}): the pool's first
 *       allocated address is shared by every Service whose ports/protocols do not clash on it;
 *       a Service that clashes gets an address of its own, which is not shared further.
 *       Unique mode: one address per Service.</li>
 *   <li>An address is given back to the free list when its last user releases it (upstream gives
 *       the shared address back as soon as any one of its users goes; we count users).</li>
 * </ul>
 *
 * <p>Not thread-safe: the controller touches pools from its single reconcile thread only.
 */
public final class IpPool {
    /** Upstream caps a pool at the size of its 16-bit counter. */
    static final long MAX_SIZE = 65_535;

    public enum ReserveResult { RESERVED, IN_USE, OUT_OF_RANGE }

    private final String name;
    private final String spec;
    private final boolean shared;
    private final long first;
    private final long last;

    private final Map<Long, Use> used = new HashMap<>();
    private final BitSet everTaken = new BitSet();
    private final ArrayDeque<Long> released = new ArrayDeque<>();
    private long sharedAddress = -1;

    private static final class Use {
        final boolean shareable;
        final Map<String, Set<String>> portsByOwner = new LinkedHashMap<>();

        Use(boolean shareable) {
            this.shareable = shareable;
        }

        boolean clashes(String owner, Set<String> ports) {
            for (Map.Entry<String, Set<String>> e : portsByOwner.entrySet()) {
                if (!e.getKey().equals(owner) && e.getValue().stream().anyMatch(ports::contains)) {
                    return true;
                }
            }
            return false;
        }
    }

    private IpPool(String name, String spec, boolean shared, long first, long last) {
        this.name = name;
        this.spec = spec;
        this.shared = shared;
        this.first = first;
        this.last = last;
    }

    /**
     * A pool from a CIDR ({@code 123.123.123.15/24}) or a range ({@code 10.0.0.5-10.0.0.9}).
     *
     * @param shared whether Services with different ports may share an address
     */
    public static IpPool parse(String name, String spec, boolean shared) {
        String s = spec == null ? "" : spec.trim();
        long first;
        long last;
        if (s.contains("/")) {
            String[] parts = s.split("/", -1);
            long ip = Ipv4.parse(parts[0]);
            int len;
            try {
                len = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in CIDR '" + spec + "'");
            }
            if (len < 1 || len > 32) {
                throw new IllegalArgumentException("bad prefix length in CIDR '" + spec + "'");
            }
            long size = 1L << (32 - len);
            long network = ip & ~(size - 1) & 0xffffffffL;
            long host = ip - network;
            if (len >= 31) {
                first = network + host;
                last = network + size - 1;
            } else {
                first = network + Math.max(host, 1);
                last = network + size - 2;
            }
        } else if (s.contains("-")) {
            String[] parts = s.split("-", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("bad address range '" + spec + "'");
            }
            first = Ipv4.parse(parts[0]);
            last = Ipv4.parse(parts[1]);
        } else {
            throw new IllegalArgumentException("not a CIDR or an address range: '" + spec + "'");
        }
        if (last < first) {
            throw new IllegalArgumentException("empty address pool '" + spec + "'");
        }
        last = Math.min(last, first + MAX_SIZE - 1);
        return new IpPool(name, s, shared, first, last);
    }

    public String name() {
        return name;
    }

    public String spec() {
        return spec;
    }

    public boolean shared() {
        return shared;
    }

    public boolean contains(String ip) {
        if (!Ipv4.isValid(ip)) {
            return false;
        }
        long v = Ipv4.parse(ip);
        return v >= first && v <= last;
    }

    /** Number of addresses nobody uses. */
    public long free() {
        return last - first + 1 - used.size();
    }

    /** Addresses in use, each with the owners that use it. */
    public Map<String, Collection<String>> usage() {
        Map<String, Collection<String>> out = new LinkedHashMap<>();
        used.keySet().stream().sorted().forEach(a -> out.put(Ipv4.format(a), List.copyOf(used.get(a).portsByOwner.keySet())));
        return out;
    }

    /**
     * A new address for {@code owner} serving {@code ports} (keys such as {@code 8888/tcp}), or
     * empty when the pool is exhausted.
     */
    public Optional<String> allocate(String owner, Set<String> ports) {
        if (shared && sharedAddress >= 0) {
            Use use = used.get(sharedAddress);
            if (use == null) {
                take(sharedAddress, true).portsByOwner.put(owner, Set.copyOf(ports));
                return Optional.of(Ipv4.format(sharedAddress));
            }
            if (use.shareable && !use.clashes(owner, ports)) {
                use.portsByOwner.put(owner, Set.copyOf(ports));
                return Optional.of(Ipv4.format(sharedAddress));
            }
            // The shared address has these ports already: an address of its own, as upstream.
            long address = nextFree();
            if (address < 0) {
                return Optional.empty();
            }
            take(address, false).portsByOwner.put(owner, Set.copyOf(ports));
            return Optional.of(Ipv4.format(address));
        }
        long address = nextFree();
        if (address < 0) {
            return Optional.empty();
        }
        if (shared) {
            sharedAddress = address;
        }
        take(address, shared).portsByOwner.put(owner, Set.copyOf(ports));
        return Optional.of(Ipv4.format(address));
    }

    /**
     * Claims a given address (a static IP, or one a Service already shows in its status) for
     * {@code owner}. Claiming an address the owner holds already is a no-op that succeeds.
     */
    public ReserveResult reserve(String owner, String ip, Set<String> ports) {
        if (!contains(ip)) {
            return ReserveResult.OUT_OF_RANGE;
        }
        long address = Ipv4.parse(ip);
        Use use = used.get(address);
        if (use == null) {
            take(address, shared).portsByOwner.put(owner, Set.copyOf(ports));
            if (shared && sharedAddress < 0) {
                sharedAddress = address;
            }
            return ReserveResult.RESERVED;
        }
        if (use.portsByOwner.containsKey(owner)) {
            return ReserveResult.RESERVED;
        }
        if (shared && use.shareable && !use.clashes(owner, ports)) {
            use.portsByOwner.put(owner, Set.copyOf(ports));
            return ReserveResult.RESERVED;
        }
        return ReserveResult.IN_USE;
    }

    /** Changes the ports {@code owner} serves on its address; false if they clash with another user. */
    public boolean updatePorts(String owner, String ip, Set<String> ports) {
        Use use = contains(ip) ? used.get(Ipv4.parse(ip)) : null;
        if (use == null || !use.portsByOwner.containsKey(owner)) {
            return false;
        }
        if (use.clashes(owner, ports)) {
            return false;
        }
        use.portsByOwner.put(owner, Set.copyOf(ports));
        return true;
    }

    /** Other users of {@code ip}, for messages. */
    public Set<String> owners(String ip) {
        Use use = contains(ip) ? used.get(Ipv4.parse(ip)) : null;
        return use == null ? Set.of() : Set.copyOf(use.portsByOwner.keySet());
    }

    /** Gives back {@code owner}'s claim on {@code ip}; the address is free once nobody uses it. */
    public void release(String owner, String ip) {
        if (!contains(ip)) {
            return;
        }
        long address = Ipv4.parse(ip);
        Use use = used.get(address);
        if (use == null || use.portsByOwner.remove(owner) == null) {
            return;
        }
        if (use.portsByOwner.isEmpty()) {
            used.remove(address);
            released.addLast(address);
        }
    }

    private Use take(long address, boolean shareable) {
        everTaken.set((int) (address - first));
        released.remove(address);
        Use use = new Use(shareable);
        used.put(address, use);
        return use;
    }

    private long nextFree() {
        int fresh = everTaken.nextClearBit(0);
        if (fresh <= last - first) {
            return first + fresh;
        }
        Long address = released.peekFirst();
        return address == null ? -1 : address;
    }

    @Override
    public String toString() {
        return name + "=" + spec + (shared ? " (shared)" : " (unique)");
    }
}
