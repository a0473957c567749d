package dev.loxiharness.loxilb.cmd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loxicmd save} and {@code loxicmd apply} (upstream's {@code cmd/dump}) for load-balancer rules. */
final class DumpCommands {
    static final String LB_FILE = "lbconfig.txt";
    static final String EP_FILE = "EPconfig.txt";

    private DumpCommands() {
    }

    @Command(name = "save", description = "saves current configuration in text file")
    static final class Save extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        What what;
        @Option(names = {"-c", "--config-path"}, defaultValue = "/etc/loxilb/",
                description = "config file path setting (default /etc/loxilb/)")
        String configPath;

        static final class What {
            @Option(names = {"-a", "--all"}, description = "Saves all configuration (load balancer rules, endpoints)")
            boolean all;
            @Option(names = {"-l", "--lb"}, description = "Saves Load Balancer rules configuration")
            boolean lb;
            @Option(names = "--endpoint", description = "Saves endpoint configuration")
            boolean endpoint;
        }

        @Override
        int run(LoxicmdMain root) {
            Path dir = Path.of(configPath);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new LoxicmdMain.Failure(1, "Can't create config dir " + dir);
            }
            if (what.lb || what.all) {
                String json = GoJson.compact(LbModel.listJson(savedRules(root)));
                Path file = writeWithBackup(root, dir.resolve(LB_FILE), json);
                root.out.print("LB Configuration saved in " + file + "\n");
            }
            if (what.endpoint || what.all) {
                String json = GoJson.compact(savedEndpoints(root));
                Path file = writeWithBackup(root, dir.resolve(EP_FILE), json);
                root.out.print("EndPoint Configuration saved in " + file + "\n");
            }
            return 0;
        }

        /** As upstream's {@code Lbdump}: rules not managed (by kube-loxilb), not SNAT, not "ipvs", counters blanked. */
        private static List<LbModel> savedRules(LoxicmdMain root) {
            List<LbModel> rules;
            try {
                rules = LbModel.parseList(root.getOk("config/loadbalancer/all"), "lbAttr");
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new LoxicmdMain.Failure(1, "loxicmd: cannot parse the API's answer: " + e.getMessage());
            }
            List<LbModel> kept = null;
            for (LbModel r : rules == null ? List.<LbModel>of() : rules) {
                if (!r.managed && !r.snat && !r.name.contains("ipvs")) {
                    if (r.endpoints != null) {
                        r.endpoints.forEach(ep -> ep.counter = "");
                    }
                    if (kept == null) {
                        kept = new ArrayList<>();
                    }
                    kept.add(r);
                }
            }
            return kept;
        }

        /** As upstream's {@code EPdump}: the endpoints' configuration, {@code {"Attr":[EndPointMod...]}}. */
        private static Map<String, Object> savedEndpoints(LoxicmdMain root) {
            List<JsonNode> eps = GetCommand.list(GetCommand.parse(root.getOk("config/endpoint/all")), "Attr");
            return GetCommand.wrap("Attr", eps == null || eps.isEmpty() ? null : eps, GetCommand::endpointConfig);
        }

        /**
         * Writes {@code content} to {@code file} through a temporary file in the same directory and a
         * rename, so a reader never sees half a file; an existing file is first moved to {@code <file>.bk}.
         */
        private static Path writeWithBackup(LoxicmdMain root, Path file, String content) {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = null;
            try {
                tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: keep the default permissions
                }
                if (Files.exists(file)) {
                    Files.move(file, file.resolveSibling(file.getFileName() + ".bk"), StandardCopyOption.REPLACE_EXISTING);
                } else {
                    root.out.print("There is no saved config file\n");
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                tmp = null;
                return file;
            } catch (IOException e) {
                throw new LoxicmdMain.Failure(1, "loxicmd: cannot write " + file + ": " + e.getMessage());
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort: the failure itself has been reported
                    }
                }
            }
        }
    }

    @Command(name = "apply", description = "Reads and apply configuration from the text file")
    static final class Apply extends Subcommand {
        @Option(names = {"-l", "--lb"}, required = true, paramLabel = "FILE",
                description = "Load Balancer config file to apply")
        String lbConfigFile;

        @Override
        int run(LoxicmdMain root) {
            List<LbModel> rules;
            try {
                rules = LbModel.parseList(Files.readString(Path.of(lbConfigFile), StandardCharsets.UTF_8), "lbAttr");
            } catch (IOException | IllegalArgumentException e) {
                throw new LoxicmdMain.Failure(1, "loxicmd: cannot read " + lbConfigFile + ": " + e.getMessage());
            }
            List<String> refused = new ArrayList<>();
            for (LbModel rule : rules == null ? List.<LbModel>of() : rules) {
                // A saved rule is re-created as a plain add: no attach/detach, no runtime state.
                rule.oper = 0;
                rule.snat = false;
                if (rule.endpoints != null) {
                    rule.endpoints.forEach(ep -> {
                        ep.state = "";
                        ep.counter = "";
                    });
                }
                LoxiApi.Reply r = root.call("POST", "config/loadbalancer", GoJson.compact(rule.toJson()));
                String result = r.result();
                boolean applied = (r.status() == 200 && result.equals("Success"))
                        || result.toLowerCase(Locale.ROOT).contains("exist");
                if (!applied) {
                    refused.add("loxicmd: rule " + rule.externalIP + ":" + rule.portText() + "/" + rule.protocol
                            + " not applied: " + result);
                }
            }
            root.out.print("Configuration applied - " + lbConfigFile + "\n");
            if (!refused.isEmpty()) {
                throw new LoxicmdMain.Failure(1, String.join("\n", refused));
            }
            return 0;
        }
    }
}
