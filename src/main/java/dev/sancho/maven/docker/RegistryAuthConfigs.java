package dev.sancho.maven.docker;

import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.AuthConfigurations;
import java.util.Collection;
import java.util.Locale;

/** {@link RegistryAuth} in docker-java's terms: the X-Registry-Auth of a pull or push, the X-Registry-Config of a build. */
final class RegistryAuthConfigs {
    private RegistryAuthConfigs() {}

    /** The server address the engine and the docker CLI key credentials by (Docker Hub's is a URL). */
    static String serverAddress(String registry) {
        return RegistryCredentials.DOCKER_HUB.equals(registry) ? RegistryCredentials.DOCKER_HUB_SERVER : registry;
    }

    static AuthConfig of(RegistryAuth auth) {
        AuthConfig c = new AuthConfig().withRegistryAddress(serverAddress(auth.registry()));
        return auth.identityToken() ? c.withIdentityToken(auth.secret())
                : c.withUsername(auth.username()).withPassword(auth.secret());
    }

    static AuthConfigurations of(Collection<RegistryAuth> auths) {
        AuthConfigurations all = new AuthConfigurations();
        auths.forEach(a -> all.addConfig(of(a)));
        return all;
    }

    /** Whether the engine's reason for a failed pull or push says the registry wanted (other) credentials. */
    static boolean isAuthFailure(String reason) {
        String r = String.valueOf(reason).toLowerCase(Locale.ROOT);
        return r.contains("unauthorized") || r.contains("no basic auth credentials")
                || r.contains("authentication required") || r.contains("access denied")
                || r.contains("access to the resource is denied") || r.contains("status 401")
                || r.contains("incorrect username or password");
    }

    /** The message of a refused pull or push: registry, image, which credentials; the secret masked if echoed. */
    static RegistryAuthException refused(String verb, String image, String registry, RegistryAuth auth,
            String searched, String reason, Throwable cause) {
        String why = auth != null && auth.secret() != null && !auth.secret().isEmpty()
                ? reason.replace(auth.secret(), "******") : reason;
        String with = auth == null
                ? "without credentials (none for " + registry + " in " + searched + ")"
                : "with the credentials from " + auth.source();
        String hint = auth == null
                ? "add a <server> with <id>" + registry + "</id> to settings.xml, or docker login " + registry
                : "check the username and password of " + auth.source();
        return new RegistryAuthException(registry, "registry " + registry + " refused the " + verb + " of " + image
                + " " + with + ": " + why + "; " + hint, cause);
    }
}
