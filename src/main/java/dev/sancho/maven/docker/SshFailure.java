package dev.sancho.maven.docker;

import java.util.List;
import java.util.Locale;

/**
 * Reads what ssh (or the remote {@code docker system dial-stdio}) wrote on stderr when a connection ended before
 * the engine answered, and says in one line what went wrong, naming the host. Pure: the process is someone else's.
 */
final class SshFailure {
    private SshFailure() {}

    /**
     * @param ssh      the address, for the host and user in the message
     * @param stderr   what the process wrote on stderr (may be empty)
     * @param exitCode its exit code, or -1 when it had not exited
     */
    static String explain(SshAddress ssh, String stderr, int exitCode) {
        String host = ssh.host() + (ssh.port() == 0 ? "" : " port " + ssh.port());
        String said = lastLines(stderr);
        String lower = stderr.toLowerCase(Locale.ROOT);
        String quoted = said.isEmpty() ? "" : " (" + said + ")";
        if (lower.contains("host key verification failed") || lower.contains("remote host identification has changed")) {
            return "the ssh host key of " + host + " is not known or has changed" + quoted + ". Check its"
                    + " fingerprint and add it to known_hosts (e.g. ssh-keyscan" + (ssh.port() == 0 ? "" : " -p " + ssh.port())
                    + " " + ssh.host() + " >> ~/.ssh/known_hosts), or name a known_hosts file with"
                    + " -Dsancho.sshOptions='-o UserKnownHostsFile=FILE'";
        }
        if (lower.contains("failed to open the raw stream connection") || lower.contains("cannot connect to the docker daemon")
                || lower.contains("docker daemon socket") || lower.contains("is the docker daemon running")) {
            return "ssh to " + host + " works, but the Docker engine there does not answer" + quoted
                    + ". Is dockerd running on " + ssh.host() + (ssh.socket() == null ? "" : " with its socket at " + ssh.socket())
                    + ", and may " + (ssh.user() == null ? "the ssh user" : ssh.user()) + " use it (docker group)?";
        }
        if (lower.contains("permission denied")) {
            return "ssh authentication as " + (ssh.user() == null ? "the default user" : ssh.user()) + " to " + host
                    + " was refused" + quoted + ". Load the key into ssh-agent or pass it with"
                    + " -Dsancho.sshOptions='-i KEY', and check that its public key is in ~/.ssh/authorized_keys there";
        }
        if (lower.contains("connection refused")) {
            return "ssh connection to " + host + " refused" + quoted + ". Is sshd running there, on that port?";
        }
        if (lower.contains("could not resolve hostname") || lower.contains("name or service not known")) {
            return "unknown host " + ssh.host() + quoted + ". Check the host in the ssh:// address";
        }
        if (lower.contains("timed out")) {
            return "ssh connection to " + host + " timed out" + quoted + ". Is the host up and port "
                    + (ssh.port() == 0 ? 22 : ssh.port()) + " reachable?";
        }
        if (lower.contains("no route to host") || lower.contains("network is unreachable")) {
            return "no route to " + host + quoted;
        }
        if (exitCode == 127 || lower.contains("command not found") || lower.contains("docker: not found")) {
            return "there is no docker command on " + ssh.host() + quoted + ": ssh:// runs `docker system dial-stdio`"
                    + " there, so the docker CLI (18.09 or newer) must be on the remote PATH";
        }
        if (lower.contains("unknown command") || lower.contains("is not a docker command")) {
            return "the docker CLI on " + ssh.host() + " has no `system dial-stdio`" + quoted
                    + ": it needs Docker 18.09 or newer";
        }
        return "the ssh connection to " + host + " ended before the engine answered"
                + (exitCode >= 0 ? " (ssh exit code " + exitCode + ")" : "") + quoted;
    }

    /** The last two non-empty lines without their final period, joined, without ssh's "Warning: Permanently added" chatter. */
    static String lastLines(String stderr) {
        List<String> lines = stderr.lines().map(String::trim).map(l -> l.replaceAll("\\.+$", "")).filter(l -> !l.isEmpty())
                .filter(l -> !l.startsWith("Warning: Permanently added")).toList();
        List<String> tail = lines.subList(Math.max(0, lines.size() - 2), lines.size());
        String joined = String.join(" / ", tail).replaceAll("\\s*[\\r\\n]+\\s*", " ");
        return joined.length() > 300 ? joined.substring(0, 300) + "..." : joined;
    }
}
