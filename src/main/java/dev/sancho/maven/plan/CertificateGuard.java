package dev.sancho.maven.plan;

import dev.sancho.maven.plan.CertificateStore.Cert;
import dev.sancho.maven.plan.CertificateStore.Contents;
import dev.sancho.maven.plan.CertificateStore.Format;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges what a proxy's certificate store holds, as {@code sancho:verify} reports it: one row for the store, one per
 * certificate. Pure. Why it matters: Let's Encrypt issues at most 5 certificates per exact set of names per 7 days,
 * so a proxy that lost its store and asks again a few times in a week has no HTTPS until the window passes.
 *
 * <p>Fails when the store cannot be read, when {@code acme.json} is not mode 600 (Traefik refuses a store others
 * can read: {@code pkg/provider/acme/local_store_unix.go}, and one it cannot write loses every renewal), when a
 * certificate has expired, and when a store that held certificates (the engine's record, {@link Seen}) is missing
 * or empty. Warns when a certificate expires within {@link #WARN_BEFORE}: ACME clients renew 30 days ahead
 * (Traefik, Caddy), so that close to the end the renewal has been failing for two weeks.
 */
public final class CertificateGuard {
    private CertificateGuard() {}

    public static final Duration WARN_BEFORE = Duration.ofDays(14);

    /**
     * What was seen in a store before (the engine's record, written when certificates were seen).
     *
     * @param names every name its certificates covered
     * @param count how many certificates it held
     * @param at    when that was seen
     */
    public record Seen(List<String> names, int count, Instant at) {
        public Seen {
            names = List.copyOf(names);
        }

        String describe() {
            return count + (count == 1 ? " certificate" : " certificates") + " (" + String.join(", ", names)
                    + ") on " + DAY.format(at);
        }
    }

    /**
     * One row of the report.
     *
     * @param ok      false fails verify
     * @param warning non-null: passes, but says this at WARN level
     * @param kind    {@code certs} for the store, {@code cert} for one certificate
     * @param subject the store's path, or the certificate's names
     * @param detail  what was found, and on failure what to do
     */
    public record Finding(boolean ok, String warning, String kind, String subject, String detail) {}

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /**
     * @param service the proxy's compose service, for messages
     * @param store   what the store holds now
     * @param seen    what it held before, if the engine has a record of it
     * @param now     the time to judge expiry against
     */
    public static List<Finding> judge(String service, Contents store, Optional<Seen> seen, Instant now) {
        List<Finding> out = new ArrayList<>();
        String subject = service + ":" + store.path();
        String lost = seen.map(s -> "; it held " + s.describe() + ". Restore it from a backup before the proxy "
                + "starts requesting certificates again (Let's Encrypt issues 5 per week per set of names)").orElse("");
        if (!store.problems().isEmpty()) {
            out.add(new Finding(false, null, "certs", subject, store.format().shown() + " unreadable: "
                    + String.join("; ", store.problems())));
        } else if (!store.present()) {
            out.add(new Finding(seen.isEmpty(), null, "certs", subject, seen.isEmpty()
                    ? "no " + store.format().shown() + " yet (no certificate obtained so far)"
                    : "missing" + lost));
        } else if (store.certificates().isEmpty()) {
            out.add(new Finding(seen.isEmpty(), null, "certs", subject, seen.isEmpty()
                    ? store.format().shown() + " holds no certificate yet" : "holds no certificate" + lost));
        } else {
            int n = store.certificates().size();
            out.add(new Finding(true, null, "certs", subject, store.format().shown() + ", " + n
                    + (n == 1 ? " certificate" : " certificates")));
        }
        if (store.format() == Format.TRAEFIK && store.present() && store.mode() != null && store.mode() != 0600) {
            out.add(new Finding(false, null, "certs", subject, "mode " + Integer.toOctalString(store.mode())
                    + ", must be 600 (Traefik refuses a store others can read, and cannot save renewals in one it "
                    + "cannot write): chmod 600 on the host file"));
        }
        for (Cert c : store.certificates()) {
            out.add(judge(c, now));
        }
        return out;
    }

    static Finding judge(Cert c, Instant now) {
        String names = String.join(",", c.names());
        long days = Duration.between(now, c.notAfter()).toDays();
        String when = DAY.format(c.notAfter());
        if (!c.notAfter().isAfter(now)) {
            return new Finding(false, null, "cert", names, "EXPIRED on " + when + " (serial " + c.serial()
                    + "): the proxy serves an expired certificate; its renewal has been failing, see its log");
        }
        String detail = "expires " + when + " (" + days + (days == 1 ? " day" : " days") + "), serial " + c.serial();
        if (Duration.between(now, c.notAfter()).compareTo(WARN_BEFORE) < 0) {
            return new Finding(true, "certificate " + names + " expires in " + days + " days (" + when + "): "
                    + "ACME clients renew 30 days ahead, so its renewal has been failing; see the proxy's log",
                    "cert", names, detail + ", renewal overdue");
        }
        return new Finding(true, null, "cert", names, detail);
    }

    /** The record to keep of a store that holds certificates (empty when it holds none: nothing to protect). */
    public static Optional<Seen> seen(Contents store, Instant now) {
        return store.certificates().isEmpty() ? Optional.empty()
                : Optional.of(new Seen(store.names(), store.certificates().size(), now));
    }
}
