package dev.sancho.maven.core;

import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Masks secret environment values wherever text from a container (its log lines) is shown to the user.
 * A value is secret when its variable's name looks like one (PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL...).
 * TODO(compose): use compose/Secrets' name rule once it is on main, so both agree on what is a secret.
 */
public final class SecretMask {
    static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(PASSW(OR)?D|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|_KEY$|CREDENTIAL|AUTH).*");
    private static final String MASK = "******";

    private final List<String> values;

    private SecretMask(Set<String> values) {
        // longest first, so a secret containing another is masked whole
        List<String> v = new ArrayList<>(values);
        v.sort(Comparator.comparingInt(String::length).reversed());
        this.values = List.copyOf(v);
    }

    public static final SecretMask NONE = new SecretMask(Set.of());

    public static boolean isSecretName(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }

    /** Every secret-named environment value of every service of the stack. */
    public static SecretMask of(Stack stack) {
        Set<String> values = new LinkedHashSet<>();
        for (StackService s : stack.services()) {
            s.service().environment().forEach((k, v) -> {
                if (v != null && !v.isEmpty() && isSecretName(k)) {
                    values.add(v);
                }
            });
        }
        return new SecretMask(values);
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, MASK);
        }
        return out;
    }

    public List<String> apply(List<String> lines) {
        return lines.stream().map(this::apply).toList();
    }
}
