package dev.loxiharness.loxilb.daemon;

import dev.loxiharness.loxilb.api.BgpRestApi;
import dev.loxiharness.loxilb.api.RestApi;
import dev.loxiharness.loxilb.api.TokenAuth;
import dev.loxiharness.loxilb.bgp.BgpSpeaker;
import dev.loxiharness.loxilb.dataplane.Nft;
import dev.loxiharness.loxilb.dataplane.NftDataplane;
import dev.loxiharness.loxilb.lb.ClusterInstances;
import dev.loxiharness.loxilb.lb.LoadBalancer;
import dev.loxiharness.loxilb.store.RuleStore;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code loxilb} daemon: upstream's flags where they apply, the REST API, the nftables data
 * plane in the daemon's own network namespace, and the rules restored from {@code --config-path}.
 */
@Command(name = "loxilb", sortOptions = false, mixinStandardHelpOptions = false, subcommands = AddUser.class,
        description = "Java loxilb: upstream loxilb's REST API and load-balancer rules on an nftables data plane.")
public final class LoxilbMain implements Callable<Integer> {
    static final String DEFAULT_USERS_FILE = "/etc/loxilb/users";
    /** Upstream flags this daemon accepts but does not implement, and whether each takes a value. */
    static final Map<String, Boolean> UNSUPPORTED_UPSTREAM_FLAGS = Map.ofEntries(
            Map.entry("-k", true), Map.entry("--ka", true), Map.entry("-a", false), Map.entry("--api", false),
            Map.entry("-n", false), Map.entry("--nonlp", false), Map.entry("--tls-host", true),
            Map.entry("--cluster", true), Map.entry("--self", true), Map.entry("--log-max-size", true),
            Map.entry("--log-max-backups", true), Map.entry("--log-max-age", true),
            Map.entry("--log-no-compress", false), Map.entry("--cpuprofile", true), Map.entry("-p", false),
            Map.entry("--prometheus", false), Map.entry("--disable-crc32", false),
            Map.entry("--passive-probe", false), Map.entry("--rss-enable", false), Map.entry("--egr-hooks", false),
            Map.entry("-r", false), Map.entry("--peer", false), Map.entry("--blacklist", true),
            Map.entry("--rpc", true), Map.entry("--k8s-api", true), Map.entry("--ipvs-compat", false),
            Map.entry("--fallback", false), Map.entry("--localsockpolicy", false),
            Map.entry("--sockmapsupport", false), Map.entry("--cloud", true), Map.entry("--cloudcidrblock", true),
            Map.entry("--cloudinstance", true), Map.entry("--proxyonlymode", false), Map.entry("--whitelist", true),
            Map.entry("--clusterinterface", true),
            Map.entry("--databasehost", true), Map.entry("--databaseport", true), Map.entry("--databaseuser", true),
            Map.entry("--databasepasswordpath", true), Map.entry("--databasename", true),
            Map.entry("--oauth2", false),
            Map.entry("--oauth2provider", true));
    static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "error", "warning", "notice",
            "critical", "emergency", "alert");

    @Option(names = "--host", defaultValue = "${env:HOST:-0.0.0.0}", description = "the IP to listen on (default: ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--port", defaultValue = "${env:PORT:-11111}", description = "the port to listen on for insecure connections (default: ${DEFAULT-VALUE})")
    int port;
    @Option(names = {"-b", "--bgp"}, description = "Connect and Sync with GoBGP server")
    boolean bgp;
    @Option(names = "--config-path", defaultValue = "/etc/loxilb/", description = "Config file path (default: ${DEFAULT-VALUE})")
    Path configPath;
    @Option(names = "--loglevel", defaultValue = "debug", description = "One of trace,debug,info,error,warning,notice,critical,emergency,alert (default: ${DEFAULT-VALUE})")
    String logLevel;
    @Option(names = {"-v", "--version"}, description = "Show loxilb version")
    boolean version;
    @Option(names = "--tls", description = "enable TLS")
    boolean tls;
    @Option(names = "--tls-port", defaultValue = "${env:TLS_PORT:-8091}", description = "the port to listen on for secure connections (default: ${DEFAULT-VALUE})")
    int tlsPort;
    @Option(names = "--tls-certificate", defaultValue = "${env:TLS_CERTIFICATE:-/opt/loxilb/cert/server.crt}", description = "the certificate to use for secure connections (default: ${DEFAULT-VALUE})")
    Path tlsCertificate;
    @Option(names = "--tls-key", defaultValue = "${env:TLS_PRIVATE_KEY:-/opt/loxilb/cert/server.key}", description = "the private key to use for secure connections (default: ${DEFAULT-VALUE})")
    Path tlsKey;
    @Option(names = "--userservice", description = "require upstream's token authentication: POST /netlox/v1/auth/login, "
            + "then the token in the Authorization header (users from --users-file)")
    boolean userService;
    @Option(names = "--users-file", description = "users of --userservice, written by 'loxilb adduser' (default: <config-path>/users)")
    Path usersFile;
    @Option(names = "--token-expiry-minutes", defaultValue = "60", description = "lifetime of a login token (default: ${DEFAULT-VALUE}, as upstream's docs say)")
    int tokenMinutes;
    @Option(names = "--manualtoken", description = "require the token in the --manualtokenvalue file in the Authorization header")
    boolean manualToken;
    @Option(names = "--manualtokenvalue", defaultValue = "/etc/loxilb/manual_token", description = "Path of manual token (default: ${DEFAULT-VALUE})")
    Path manualTokenPath;
    @Option(names = "--nft-table", defaultValue = "loxilb", description = "nftables table this daemon owns in its network namespace (default: ${DEFAULT-VALUE})")
    String nftTable;
    @Option(names = "--gobgp-config", description = "gobgpd config file for -b (default: the first of "
            + "/opt/loxilb/gobgp_loxilb.yaml, /etc/gobgp/gobgp_loxilb.yaml, /etc/gobgp/gobgp.conf)")
    Path gobgpConfig;
    @Option(names = "--gobgp-api", defaultValue = "127.0.0.1:50051", description = "where gobgpd serves its gRPC API (default: ${DEFAULT-VALUE})")
    String gobgpApi;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help")
    boolean help;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i].contains("=") ? args[i].substring(0, args[i].indexOf('=')) : args[i];
            Boolean takesValue = UNSUPPORTED_UPSTREAM_FLAGS.get(flag);
            if (takesValue == null) {
                kept.add(args[i]);
                continue;
            }
            System.err.println("loxilb: " + flag + " is an upstream loxilb option that this Java loxilb does not"
                    + (flag.startsWith("--database") ? " support (--userservice reads its users from --users-file, not MySQL)"
                    : " support (no eBPF, clustering or OAuth2 here)") + "; ignored");
            if (takesValue && !args[i].contains("=") && i + 1 < args.length) {
                i++;
            }
        }
        return new CommandLine(new LoxilbMain()).execute(kept.toArray(String[]::new));
    }

    private BgpSpeaker bgpSpeaker() {
        Path config = BgpSpeaker.locateConfig(gobgpConfig);
        if (config == null) {
            System.out.println("loxilb: BGP mode: no gobgpd config found; gobgpd waits for POST "
                    + RestApi.BASE + "/config/bgp/global");
        } else if (!Files.isRegularFile(config)) {
            System.err.println("loxilb: BGP mode: " + config + " does not exist; gobgpd waits for POST "
                    + RestApi.BASE + "/config/bgp/global");
            config = null;
        } else {
            String problem = BgpSpeaker.checkConfig(config);
            if (!problem.isEmpty()) {
                System.err.println("loxilb: BGP mode: gobgpd refuses " + config + ": " + problem
                        + "; gobgpd runs without it and waits for POST " + RestApi.BASE + "/config/bgp/global");
                config = null;
            } else {
                System.out.println("loxilb: BGP mode: gobgpd with " + config + ", gRPC API on " + gobgpApi);
            }
        }
        return new BgpSpeaker(config, gobgpApi);
    }

    @Override
    public Integer call() throws Exception {
        String v = LoxilbMain.class.getPackage().getImplementationVersion();
        String ver = v == null ? "dev" : v;
        if (version) {
            System.out.println("loxilb version: " + ver + " java-loxilb");
            return 0;
        }
        if (!LOG_LEVELS.contains(logLevel.toLowerCase(Locale.ROOT))) {
            System.err.println("loxilb: unknown log level '" + logLevel + "'; use one of " + String.join(",", LOG_LEVELS));
            return 2;
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", switch (logLevel.toLowerCase(Locale.ROOT)) {
            case "trace" -> "trace";
            case "debug" -> "debug";
            case "info", "notice" -> "info";
            case "warning" -> "warn";
            default -> "error";
        });
        KeyStore keyStore = null;
        if (tls) {
            try {
                keyStore = PemKeyStore.load(tlsCertificate, tlsKey);
            } catch (IOException | GeneralSecurityException e) {
                System.err.println("loxilb: --tls: cannot load " + tlsCertificate + " / " + tlsKey + ": " + e.getMessage());
                return 1;
            }
        }
        TokenAuth auth = null;
        if (userService && manualToken) {
            System.err.println("loxilb: give --userservice or --manualtoken, not both");
            return 2;
        }
        if (userService) {
            Path users = usersFile != null ? usersFile : configPath.resolve("users");
            try {
                auth = TokenAuth.users(users, Duration.ofMinutes(tokenMinutes), Clock.systemUTC());
            } catch (IOException e) {
                System.err.println("loxilb: --userservice: cannot read users from " + users + " (" + e.getMessage()
                        + "); add one with: echo PASSWORD | loxilb adduser NAME --users-file " + users);
                return 1;
            }
        } else if (manualToken) {
            auth = TokenAuth.manual(manualTokenPath);
        }
        if (auth != null && !tls) {
            System.err.println("loxilb: token authentication without --tls: tokens and passwords cross the network in clear");
        }
        System.out.println("loxilb start");
        BgpSpeaker speaker = bgp ? bgpSpeaker() : null;
        NftDataplane dataplane = new NftDataplane(new Nft(), nftTable);
        LoadBalancer lb = new LoadBalancer(dataplane, new RuleStore(configPath));
        if (speaker != null) {
            lb.setRuleEvents(speaker);
            lb.clusters().onChange((instance, state) -> {
                if (ClusterInstances.DEFAULT.equals(instance)) {
                    speaker.haStateChanged(state);
                }
            });
            speaker.start();
        }
        lb.restore();
        Javalin app = new RestApi(lb, ver, speaker == null ? null : new BgpRestApi(speaker)).withAuth(auth).create();
        if (keyStore != null) {
            KeyStore ks = keyStore;
            app.unsafeConfig().jetty.addConnector((server, httpConfig) -> {
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setKeyStore(ks);
                ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
                HttpConfiguration https = new HttpConfiguration(httpConfig);
                // clients reach loxilb by IP address: a certificate name check on SNI would refuse them
                https.addCustomizer(new SecureRequestCustomizer(false));
                ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                        new HttpConnectionFactory(https));
                c.setHost(host);
                c.setPort(tlsPort);
                return c;
            });
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            lb.close();
            if (speaker != null) {
                speaker.close();
            }
            try {
                dataplane.close();
            } catch (RuntimeException e) {
                System.err.println("loxilb: could not remove nft table " + nftTable + ": " + e.getMessage());
            }
            stopped.countDown();
        }, "loxilb-shutdown"));
        app.start(host, port);
        System.out.println("loxilb: REST API on http://" + host + ":" + port + RestApi.BASE
                + (tls ? " and https://" + host + ":" + tlsPort + RestApi.BASE : "") + ", nft table ip " + nftTable
                + ", rules in " + configPath.resolve(RuleStore.FILE));
        stopped.await();
        return 0;
    }
}
