package dev.loxiharness.loxilb.cmd;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code loxicmd}, the command-line client of loxilb, reproducing upstream loxicmd (cobra, tablewriter
 * v0.0.5) for {@code get lb|ep|bgpneigh|hastate|lbversion}, {@code create|delete lb|endpoint|bgpneighbor},
 * {@code save} and {@code apply}: same flags, REST calls, request bodies, tables and JSON. Global
 * options may be given anywhere on the line, as cobra's persistent flags can. When none of
 * {@code -s}, {@code -p}, {@code --protocol} is given, the environment variable {@code LOXILB_API}
 * (e.g. {@code http://127.0.0.1:11111}), if set, is the API's base URL.
 *
 * <p>Deliberate differences from upstream:
 * <ul>
 *   <li>API unreachable or too slow: one line on stderr, {@code loxicmd: cannot reach loxilb API at
 *       <base> (<reason>)}, exit 1 (upstream prints Go's error on stdout and exits 0).</li>
 *   <li>{@code create}/{@code delete}: the {@code result} of a non-200 answer (or its {@code message})
 *       is printed on stdout where upstream prints nothing, and the exit status is 1; so is it for
 *       a 200 answer whose result is not {@code Success} (old loxilb's way to report errors).</li>
 *   <li>{@code get}: a non-200 answer prints nothing on stdout (as upstream) but a line on stderr, exit 1.</li>
 *   <li>Invalid arguments (bad IP, port, weight, probe options): upstream's message on stderr, exit 1;
 *       a missing argument, unknown option or subcommand: picocli usage error, exit 2.</li>
 *   <li>{@code create lb} with several protocols or several port pairs ({@code --tcp=80:8080,443:8443})
 *       creates one rule per protocol and pair; upstream stops after the first accepted protocol and
 *       merges two pairs into one port range (three pairs are refused). A range may span more than two
 *       ports. Everything is validated before the first POST.</li>
 *   <li>{@code delete lb} with several protocols deletes them all (upstream stops at the first success).</li>
 *   <li>Tables and rule lists are sorted deterministically (upstream: same key, unstable sort);
 *       {@code get lb -o wide} lists every allowed source (upstream's loop is bounded by the number
 *       of secondary IPs and can panic).</li>
 *   <li>{@code save} writes {@code <dir>/lbconfig.txt} directly and atomically (temp file + rename)
 *       instead of via {@code /tmp} and {@code cp}, and reports that path; it refuses to overwrite the
 *       saved file when the API answers non-200. {@code -c} is a directory, with or without trailing
 *       slash. {@code -a} saves the LB rules and endpoints only.</li>
 *   <li>{@code apply -l} POSTs each rule in full (upstream keeps only IP, port, protocol, sel, mode,
 *       BGP and the endpoints, losing port ranges, marks, names, timeouts, monitoring...); refused
 *       rules are reported on stderr and give exit 1, an "already exists" answer counts as applied.</li>
 *   <li>The {@code Authorization} header is sent only when there is a token.</li>
 * </ul>
 */
@Command(name = "loxicmd", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        version = {"Loxicmd version: " + LoxicmdMain.VERSION, "Loxicmd build info: "},
        description = "loxicmd is the command-line tool for loxilb.",
        subcommands = {GetCommand.class, CreateCommand.class, DeleteCommand.class,
                DumpCommands.Save.class, DumpCommands.Apply.class, LoxicmdMain.Version.class})
public final class LoxicmdMain extends GroupCommand {
    static final String VERSION = "0.9.8.3-beta";
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    @Option(names = {"-s", "--apiserver"}, scope = ScopeType.INHERIT, paramLabel = "IP",
            description = "Set API server IP address (default 127.0.0.1)")
    String apiServer;
    @Option(names = {"-p", "--port"}, scope = ScopeType.INHERIT,
            description = "Set API server port number (default 11111)")
    Integer port;
    @Option(names = {"--protocol"}, scope = ScopeType.INHERIT,
            description = "Set API server http/https (default http)")
    String protocol;
    @Option(names = {"-t", "--timeout"}, scope = ScopeType.INHERIT, defaultValue = "10",
            description = "Set timeout in seconds (default 10; 0 waits forever)")
    int timeout;
    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "",
            description = "Set output layer (ex.) wide, json)")
    String output;
    @Option(names = {"--token"}, scope = ScopeType.INHERIT, defaultValue = "",
            description = "Set Token for the API server (default: contents of /tmp/loxilbtoken)")
    String token;

    final PrintStream out;
    private final Map<String, String> env;

    LoxicmdMain(PrintStream out, Map<String, String> env) {
        this.out = out;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    static int run(PrintStream out, PrintStream err, String... args) {
        return run(System.getenv(), out, err, args);
    }

    static int run(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new LoxicmdMain(out, env));
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof Failure f) {
                if (f.getMessage() != null) {
                    err.print(f.getMessage() + "\n");
                }
                return f.exitCode;
            }
            throw ex;
        });
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    /** The root command of the command line {@code spec} belongs to. */
    static LoxicmdMain root(CommandSpec spec) {
        return (LoxicmdMain) spec.root().userObject();
    }

    /** Ends the command with {@code exitCode}, printing {@code stderrLine} (if not null) on stderr. */
    static final class Failure extends RuntimeException {
        final int exitCode;

        Failure(int exitCode, String stderrLine) {
            super(stderrLine, null, false, false);
            this.exitCode = exitCode;
        }
    }

    static Failure invalid(String message) {
        return new Failure(1, message);
    }

    String baseUrl() {
        String fromEnv = env.get("LOXILB_API");
        if (apiServer == null && port == null && protocol == null && fromEnv != null && !fromEnv.isBlank()) {
            String b = fromEnv.strip();
            return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        }
        String host = apiServer == null ? "127.0.0.1" : apiServer;
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return (protocol == null ? "http" : protocol) + "://" + host + ":" + (port == null ? 11111 : port);
    }

    LoxiApi api() {
        String t = token;
        if (t.isEmpty()) {
            try {
                t = Files.readString(Path.of("/tmp/loxilbtoken")).strip();
            } catch (IOException | RuntimeException e) {
                t = "";
            }
        }
        return new LoxiApi(baseUrl(), timeout, t);
    }

    /** Sends a request; an unreachable API ends the command with exit 1 and one line on stderr. */
    LoxiApi.Reply call(String method, String path, String body) {
        LoxiApi api = api();
        try {
            return switch (method) {
                case "GET" -> api.get(path);
                case "POST" -> api.post(path, body);
                case "DELETE" -> api.delete(path);
                default -> throw new IllegalArgumentException(method);
            };
        } catch (LoxiApi.Unreachable e) {
            throw new Failure(1, "loxicmd: cannot reach loxilb API at " + api.base() + " (" + e.getMessage() + ")");
        }
    }

    /** A GET that must answer 200 for the command to print anything. */
    String getOk(String path) {
        LoxiApi.Reply r = call("GET", path, null);
        if (r.status() != 200) {
            throw new Failure(1, "loxicmd: GET /netlox/v1/" + path + " answered " + r.status() + ": " + r.result());
        }
        return r.body();
    }

    /**
     * Prints the {@code result} of a create/delete answer as upstream's {@code PrintCreateResult} does,
     * and tells whether it succeeded.
     */
    boolean printResult(LoxiApi.Reply r) {
        String result = r.result();
        out.print(result + "\n");
        return r.status() == 200 && "Success".equals(result);
    }

    /** {@code Debug: response.StatusCode: N}, upstream's line before each create/delete result. */
    boolean printDebugAndResult(LoxiApi.Reply r) {
        out.print("Debug: response.StatusCode: " + r.status() + "\n");
        return printResult(r);
    }

    /** Go's net.ParseIP acceptance: dotted IPv4 (no leading zeros) or an IPv6 literal, no DNS. */
    static boolean isIp(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        if (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(s) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Command(name = "version", description = "Get a version")
    static final class Version extends Subcommand {
        @Override
        int run(LoxicmdMain root) {
            root.out.print("Loxicmd version: " + VERSION + "\nLoxicmd build info: \n");
            return 0;
        }
    }
}
