package dev.loxiharness.loxilb.bgp;

import apipb.Attribute;
import apipb.Gobgp;
import apipb.GobgpApiGrpc;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.loxiharness.loxilb.rules.HaState;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The few GoBGP v3 gRPC calls loxilb makes, over one channel to the local gobgpd. */
public final class GobgpClient implements AutoCloseable {
    private static final Gobgp.Family IPV4_UNICAST = Gobgp.Family.newBuilder()
            .setAfi(Gobgp.Family.Afi.AFI_IP).setSafi(Gobgp.Family.Safi.SAFI_UNICAST).build();
    private static final long DEADLINE_SECONDS = 5;

    private final ManagedChannel channel;
    private final GobgpApiGrpc.GobgpApiStub async;

    /** A neighbour as {@code gobgp neigh} shows it. */
    public record PeerInfo(String address, long remoteAs, String state, Instant since, long received, long accepted) {
    }

    /** A best path learnt from a peer: the kernel should route {@code prefix} via {@code nextHop}. */
    public record LearnedRoute(String prefix, String nextHop) {
    }

    public GobgpClient(String hostPort) {
        this.channel = NettyChannelBuilder.forTarget(hostPort).usePlaintext().build();
        this.async = GobgpApiGrpc.newStub(channel);
    }

    private GobgpApiGrpc.GobgpApiBlockingStub call() {
        return GobgpApiGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** The running global config, or an ASN of 0 when BGP has not been started. */
    public Gobgp.Global global() {
        return call().getBgp(Gobgp.GetBgpRequest.getDefaultInstance()).getGlobal();
    }

    public void startBgp(long asn, String routerId, int listenPort) {
        call().startBgp(Gobgp.StartBgpRequest.newBuilder().setGlobal(Gobgp.Global.newBuilder()
                .setAsn((int) asn).setRouterId(routerId).setListenPort(listenPort)).build());
    }

    public void addPeer(String address, long remoteAs, int remotePort, boolean multihop, long connectRetrySeconds) {
        Gobgp.Peer.Builder p = Gobgp.Peer.newBuilder()
                .setConf(Gobgp.PeerConf.newBuilder().setNeighborAddress(address).setPeerAsn((int) remoteAs))
                .setTransport(Gobgp.Transport.newBuilder().setRemotePort(remotePort == 0 ? 179 : remotePort))
                .setTimers(Gobgp.Timers.newBuilder().setConfig(Gobgp.TimersConfig.newBuilder()
                        .setConnectRetry(connectRetrySeconds)));
        if (multihop) {
            p.setEbgpMultihop(Gobgp.EbgpMultihop.newBuilder().setEnabled(true).setMultihopTtl(255));
        }
        call().addPeer(Gobgp.AddPeerRequest.newBuilder().setPeer(p).build());
    }

    public void deletePeer(String address) {
        call().deletePeer(Gobgp.DeletePeerRequest.newBuilder().setAddress(address).build());
    }

    public List<PeerInfo> peers() {
        List<PeerInfo> out = new ArrayList<>();
        Iterator<Gobgp.ListPeerResponse> it = call().listPeer(Gobgp.ListPeerRequest.getDefaultInstance());
        while (it.hasNext()) {
            Gobgp.Peer p = it.next().getPeer();
            Gobgp.PeerState st = p.getState();
            Gobgp.TimersState ts = p.getTimers().getState();
            boolean up = st.getSessionState() == Gobgp.PeerState.SessionState.ESTABLISHED;
            Timestamp t = up ? ts.getUptime() : ts.getDowntime();
            Instant since = t.getSeconds() == 0 ? null : Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
            long received = 0;
            long accepted = 0;
            for (Gobgp.AfiSafi af : p.getAfiSafisList()) {
                received += af.getState().getReceived();
                accepted += af.getState().getAccepted();
            }
            out.add(new PeerInfo(p.getConf().getNeighborAddress(), p.getConf().getPeerAsn(),
                    st.getSessionState().name(), since, received, accepted));
        }
        return out;
    }

    /**
     * Advertises {@code vip}/32 as upstream loxilb does: origin IGP, next hop self, AS_SET of the
     * local AS, and for a MASTER local preference 5000 and MED 10, for a BACKUP 100 and 20
     * (upstream's HighLocalPref/HighMed and LowLocalPref/LowMed), so routers prefer the master.
     */
    public void announce(String vip, long localAsn, HaState ha) {
        call().addPath(Gobgp.AddPathRequest.newBuilder().setTableType(Gobgp.TableType.GLOBAL)
                .setPath(vipPath(vip, localAsn, ha)).build());
    }

    public void withdraw(String vip, long localAsn) {
        call().deletePath(Gobgp.DeletePathRequest.newBuilder().setTableType(Gobgp.TableType.GLOBAL)
                .setFamily(IPV4_UNICAST).setPath(vipPath(vip, localAsn, HaState.NOT_DEFINED)).build());
    }

    private static Gobgp.Path vipPath(String vip, long localAsn, HaState ha) {
        Gobgp.Path.Builder p = Gobgp.Path.newBuilder()
                .setFamily(IPV4_UNICAST)
                .setNlri(Any.pack(Attribute.IPAddressPrefix.newBuilder().setPrefix(vip).setPrefixLen(32).build()))
                .addPattrs(Any.pack(Attribute.OriginAttribute.newBuilder().setOrigin(0).build()))
                .addPattrs(Any.pack(Attribute.NextHopAttribute.newBuilder().setNextHop("0.0.0.0").build()))
                .addPattrs(Any.pack(Attribute.AsPathAttribute.newBuilder().addSegments(Attribute.AsSegment.newBuilder()
                        .setType(Attribute.AsSegment.Type.AS_SET).addNumbers((int) localAsn)).build()));
        if (ha == HaState.MASTER || ha == HaState.BACKUP) {
            boolean master = ha == HaState.MASTER;
            p.addPattrs(Any.pack(Attribute.LocalPrefAttribute.newBuilder().setLocalPref(master ? 5000 : 100).build()))
                    .addPattrs(Any.pack(Attribute.MultiExitDiscAttribute.newBuilder().setMed(master ? 10 : 20).build()));
        }
        return p.build();
    }

    /** Best paths of the global RIB learnt from peers (local paths, such as our VIPs, are left out). */
    public List<LearnedRoute> learnedBestRoutes() {
        List<LearnedRoute> out = new ArrayList<>();
        Iterator<Gobgp.ListPathResponse> it = call().listPath(Gobgp.ListPathRequest.newBuilder()
                .setTableType(Gobgp.TableType.GLOBAL).setFamily(IPV4_UNICAST).build());
        while (it.hasNext()) {
            Gobgp.Destination d = it.next().getDestination();
            for (Gobgp.Path p : d.getPathsList()) {
                String from = p.getNeighborIp();
                if (!p.getBest() || from.isEmpty() || from.equals("<nil>") || p.getIsWithdraw()) {
                    continue;
                }
                String nextHop = nextHop(p);
                if (nextHop != null && !nextHop.equals("0.0.0.0")) {
                    out.add(new LearnedRoute(d.getPrefix(), nextHop));
                }
            }
        }
        return out;
    }

    private static String nextHop(Gobgp.Path p) {
        for (Any a : p.getPattrsList()) {
            try {
                if (a.is(Attribute.NextHopAttribute.class)) {
                    return a.unpack(Attribute.NextHopAttribute.class).getNextHop();
                }
                if (a.is(Attribute.MpReachNLRIAttribute.class)) {
                    List<String> hops = a.unpack(Attribute.MpReachNLRIAttribute.class).getNextHopsList();
                    return hops.isEmpty() ? null : hops.get(0);
                }
            } catch (InvalidProtocolBufferException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Calls {@code onChange} for every change of best paths until the stream ends; {@code onEnd}
     * runs when it does (gobgpd restarted or went away), so the caller can watch again.
     */
    public void watchBestPaths(Runnable onChange, Runnable onEnd) {
        Gobgp.WatchEventRequest req = Gobgp.WatchEventRequest.newBuilder()
                .setTable(Gobgp.WatchEventRequest.Table.newBuilder().addFilters(
                        Gobgp.WatchEventRequest.Table.Filter.newBuilder()
                                .setType(Gobgp.WatchEventRequest.Table.Filter.Type.BEST).setInit(true)))
                .build();
        async.watchEvent(req, new StreamObserver<>() {
            @Override
            public void onNext(Gobgp.WatchEventResponse value) {
                onChange.run();
            }

            @Override
            public void onError(Throwable t) {
                onEnd.run();
            }

            @Override
            public void onCompleted() {
                onEnd.run();
            }
        });
    }

    /** True when gobgpd answers on its API. */
    public boolean reachable() {
        try {
            GobgpApiGrpc.newBlockingStub(channel).withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                    .getBgp(Gobgp.GetBgpRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long a peer has been in its state, as upstream's neighbour listing shows it ("never" when unknown). */
    public static String updown(Instant since) {
        if (since == null) {
            return "never";
        }
        long s = Math.max(0, Duration.between(since, Instant.now()).getSeconds());
        return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
