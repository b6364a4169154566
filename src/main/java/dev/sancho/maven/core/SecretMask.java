package dev.sancho.maven.core;

import dev.sancho.maven.compose.Secrets;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Masks the stack's secret environment values wherever container output (log lines of a failed container) is
 * shown. Which variables are secret is {@link Secrets}' one rule; this only gathers the values of every service,
 * because one service's log may print another's secret (a backend logging the database password).
 */
public final class SecretMask {
    private final Map<String, String> secrets;

    private SecretMask(Map<String, String> secrets) {
        this.secrets = secrets;
    }

    public static final SecretMask NONE = new SecretMask(Map.of());

    public static SecretMask of(Stack stack) {
        return of(stack, Set.of());
    }

    /** @param extraNames further variable names to treat as secret ({@code sancho.maskedVariables}) */
    public static SecretMask of(Stack stack, Collection<String> extraNames) {
        Map<String, String> values = new LinkedHashMap<>();
        for (StackService s : stack.services()) {
            s.service().environment().forEach((k, v) -> {
                if (v != null && Secrets.isSecret(k, extraNames)) {
                    values.put("SECRET_" + values.size(), v); // one entry per value, whatever its variable
                }
            });
            // a secrets: entry's copied content is secret whatever its variable is called
            s.service().options().secrets().stream().filter(f -> f.content() != null)
                    .forEach(f -> values.put("SECRET_" + values.size(), f.content()));
        }
        return new SecretMask(values);
    }

    /** This mask, also hiding the values of those of {@code variables} that are secret (e.g. build args). */
    public SecretMask plus(Map<String, String> variables, Collection<String> extraNames) {
        Map<String, String> values = new LinkedHashMap<>(secrets);
        variables.forEach((k, v) -> {
            if (v != null && Secrets.isSecret(k, extraNames)) {
                values.put("SECRET_" + values.size(), v);
            }
        });
        return new SecretMask(values);
    }

    public String apply(String text) {
        return Secrets.scrub(text, secrets, Set.of());
    }

    public List<String> apply(List<String> lines) {
        return lines.stream().map(this::apply).toList();
    }
}
