package dev.sancho.maven.docker;

import dev.sancho.maven.common.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An {@code ssh://[user@]host[:port][/path/to/docker.sock]} engine address, and the {@code ssh} command that reaches
 * it the way the docker CLI does (docker/cli {@code cli/connhelper}): the remote {@code docker system dial-stdio}
 * carries the API over ssh's stdin/stdout, with {@code --host=unix://PATH} when the address names a socket. The
 * system {@code ssh} is used, so ~/.ssh/config, known_hosts, the agent and keys apply exactly as for {@code ssh}.
 *
 * @param user   null when the address names none (ssh then takes it from ~/.ssh/config or the login name)
 * @param port   0 when the address names none
 * @param socket null for the remote docker CLI's default engine
 */
public record SshAddress(String address, String user, String host, int port, String socket) {

    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /** Parses and checks {@code value}; {@code source} names where it came from, for the one-line error. */
    static SshAddress parse(String value, String source) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw bad(value, source, "is not a valid URL (" + e.getReason() + ")");
        }
        String user = uri.getRawUserInfo();
        if (user != null && user.contains(":")) {
            throw bad(value, source, "contains a password, which ssh:// does not support: use a key (ssh-agent,"
                    + " or -i KEY in sancho.sshOptions)");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw bad(value, source, "has no host: e.g. ssh://deploy@example.com");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.startsWith("-") || (user != null && user.startsWith("-"))) {
            throw bad(value, source, "has a host or user starting with '-'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad(value, source, "has a query or fragment, which ssh:// does not allow");
        }
        String path = uri.getPath();
        String socket = path == null || path.replace("/", "").isEmpty() ? null : path;
        return new SshAddress(value, user == null || user.isEmpty() ? null : uri.getUserInfo(), host,
                Math.max(uri.getPort(), 0), socket);
    }

    private static ConfigException bad(String value, String source, String what) {
        return new ConfigException("Docker address '" + value + "' from " + source + " " + what);
    }

    /** {@code [user@]host[:port]}, for messages. */
    public String target() {
        return (user == null ? "" : user + "@") + host + (port == 0 ? "" : ":" + port);
    }

    /**
     * The ssh command line. {@code -o BatchMode=yes} comes first so that no option can turn prompts back on (ssh
     * keeps the first value of an option): in CI a prompt would hang the build. The extra options follow, then a
     * 30 s ConnectTimeout unless they set one (as the CLI does), {@code -T} (no terminal), {@code --}, the host and
     * the remote command, quoted for the remote POSIX shell.
     */
    List<String> command(List<String> extraOptions) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes"));
        if (user != null) {
            cmd.addAll(List.of("-l", user));
        }
        if (port != 0) {
            cmd.addAll(List.of("-p", Integer.toString(port)));
        }
        cmd.addAll(extraOptions);
        if (extraOptions.stream().noneMatch(o -> o.toLowerCase(java.util.Locale.ROOT).contains("connecttimeout"))) {
            cmd.addAll(List.of("-o", "ConnectTimeout=30"));
        }
        if (!extraOptions.contains("-T")) {
            cmd.add("-T");
        }
        cmd.add("--");
        cmd.add(host);
        List<String> remote = socket == null ? List.of("docker", "system", "dial-stdio")
                : List.of("docker", "--host=unix://" + socket, "system", "dial-stdio");
        cmd.add(String.join(" ", remote.stream().map(SshAddress::quote).toList()));
        return cmd;
    }

    /** One word for a POSIX shell: as is when it is plain, else in single quotes. */
    static String quote(String word) {
        if (SAFE_WORD.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
