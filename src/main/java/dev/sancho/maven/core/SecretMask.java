package dev.sancho.maven.core;

import dev.sancho.maven.common.SecretScrubber;
import dev.sancho.maven.compose.Secrets;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Masks the stack's secret values wherever container output (log lines of a failed container, a probe's output)
 * is shown. Which values are secret is {@link Secrets#valuesOf}: every service's, because one service's log may
 * print another's secret (a backend logging the database password). The mojo scrubs everything it prints once more
 * with the values of every secret source; this keeps the core's own messages clean without it.
 */
public final class SecretMask {
    private final List<String> values;
    private final SecretScrubber scrubber;

    private SecretMask(List<String> values) {
        this.values = List.copyOf(values);
        this.scrubber = SecretScrubber.of(values);
    }

    public static final SecretMask NONE = new SecretMask(List.of());

    public static SecretMask of(Stack stack) {
        return of(stack, Set.of());
    }

    /** @param extraNames further variable names to treat as secret ({@code sancho.maskedVariables}) */
    public static SecretMask of(Stack stack, Collection<String> extraNames) {
        return new SecretMask(Secrets.valuesOf(stack.services().stream().map(StackService::service).toList(),
                extraNames));
    }

    /** This mask, also hiding the values of those of {@code variables} that are secret (e.g. build args). */
    public SecretMask plus(Map<String, String> variables, Collection<String> extraNames) {
        List<String> all = new ArrayList<>(values);
        all.addAll(Secrets.secretValues(variables, extraNames));
        return new SecretMask(all);
    }

    public String apply(String text) {
        return scrubber.scrub(text);
    }

    public List<String> apply(List<String> lines) {
        return lines.stream().map(this::apply).toList();
    }
}
