package dev.loxiharness.loxilb.daemon;

import dev.loxiharness.loxilb.api.UsersFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loxilb adduser NAME --role admin|viewer}: writes a user of the token API into the users
 * file, the password read from the first line of stdin so it appears in no process list. Upstream
 * adds users over {@code POST /auth/users}, which its swagger leaves open to anyone; here a user
 * exists only if someone with access to the node's files made it.
 */
@Command(name = "adduser", description = "Add or replace a user of the REST token authentication (--userservice); "
        + "the password is read from stdin.")
final class AddUser implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;
    @Option(names = "--role", defaultValue = "admin", description = "admin or viewer (default: ${DEFAULT-VALUE})")
    String role;
    @Option(names = "--users-file", defaultValue = LoxilbMain.DEFAULT_USERS_FILE,
            description = "the users file (default: ${DEFAULT-VALUE})")
    Path usersFile;

    @Override
    public Integer call() throws IOException {
        if (!role.equals(UsersFile.ADMIN) && !role.equals(UsersFile.VIEWER)) {
            System.err.println("loxilb adduser: --role must be admin or viewer");
            return 2;
        }
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (password == null) {
            System.err.println("loxilb adduser: give the password on stdin");
            return 2;
        }
        String weak = UsersFile.weakness(name, password).orElse(null);
        if (weak != null) {
            System.err.println("loxilb adduser: " + weak);
            return 2;
        }
        UsersFile.put(usersFile, name, role, password);
        System.out.println("loxilb: user " + name + " (" + role + ") written to " + usersFile);
        return 0;
    }
}
