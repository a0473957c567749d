package dev.loxiharness.loxilb.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The users of the token API, one {@code name:role:hash} a line. Upstream keeps them in MySQL
 * ({@code --databasehost} ...); a file fits a daemon in a namespace or a container and needs no
 * server. The hash is upstream's column value (pkg/user/user.go AddUser): base64 of a 16-byte salt
 * followed by PBKDF2-HMAC-SHA256(password, salt, 10,000 rounds, 32 bytes), so rows move both ways.
 */
public final class UsersFile {
    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";
    /** Upstream's db.MinPasswordLength. */
    public static final int MIN_PASSWORD = 9;

    /** One user: name, role ({@code admin} or {@code viewer}) and upstream's salted hash. */
    public record User(String name, String role, String hash) {
        boolean accepts(String password) {
            byte[] stored = Base64.getDecoder().decode(hash);
            byte[] salt = java.util.Arrays.copyOf(stored, 16);
            byte[] want = java.util.Arrays.copyOfRange(stored, 16, stored.length);
            return MessageDigest.isEqual(want, pbkdf2(password, salt));
        }
    }

    private UsersFile() {
    }

    /** The users in {@code file}; a malformed line is an error naming its line number. */
    public static Map<String, User> load(Path file) throws IOException {
        Map<String, User> users = new LinkedHashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split(":", 3);
            if (f.length != 3 || f[0].isEmpty() || !(f[1].equals(ADMIN) || f[1].equals(VIEWER)) || !validHash(f[2])) {
                throw new IOException(file + ":" + n + ": expected name:admin|viewer:hash (use loxilb adduser)");
            }
            users.put(f[0], new User(f[0], f[1], f[2]));
        }
        return users;
    }

    /** Why {@code password} is refused for {@code name} (upstream's first checks), or empty. */
    public static Optional<String> weakness(String name, String password) {
        if (password.length() < MIN_PASSWORD) {
            return Optional.of("password must be at least " + MIN_PASSWORD + " characters long");
        }
        if (password.equals(name)) {
            return Optional.of("password must not be the same as the username");
        }
        return Optional.empty();
    }

    /** Adds or replaces {@code name} in {@code file} (created 0600 when missing). */
    public static void put(Path file, String name, String role, String password) throws IOException {
        if (name.isEmpty() || name.contains(":") || name.contains("\n")) {
            throw new IOException("user name must be non-empty, without ':'");
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = pbkdf2(password, salt);
        byte[] both = new byte[32 + 16];
        System.arraycopy(salt, 0, both, 0, 16);
        System.arraycopy(hash, 0, both, 16, 32);
        Map<String, User> users = Files.exists(file) ? load(file) : new LinkedHashMap<>();
        users.put(name, new User(name, role, Base64.getEncoder().encodeToString(both)));
        StringBuilder out = new StringBuilder("# loxilb token API users: name:role:base64(salt . pbkdf2-sha256)\n");
        users.values().forEach(u -> out.append(u.name()).append(':').append(u.role()).append(':').append(u.hash()).append('\n'));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, out, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean validHash(String s) {
        try {
            return Base64.getDecoder().decode(s).length == 48;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static byte[] pbkdf2(String password, byte[] salt) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 10_000, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 missing from this JDK", e);
        }
    }
}
