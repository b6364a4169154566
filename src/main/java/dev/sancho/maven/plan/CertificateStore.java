package dev.sancho.maven.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sancho.maven.docker.ContainerFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a reverse proxy's ACME certificate store holds, read from its files (as an archive read through the engine
 * returns them): the certificates' names, expiry and serial. Pure: no engine, no disk.
 *
 * <p>Two layouts:
 * <ul>
 *   <li><b>Traefik</b> ({@code acme.json}): a JSON object per certificate resolver, each with {@code Account} and
 *       {@code Certificates}, a list of {@code {domain: {main, sans}, certificate, key, Store}} where
 *       {@code certificate} is the base64 of the PEM chain (Traefik's {@code pkg/provider/acme/local_store.go},
 *       {@code StoredData} in {@code store.go}, {@code CertAndStore}/{@code Certificate} in {@code provider.go},
 *       v3.7.9). Traefik 1.x wrote one object with capitalised keys ({@code Certificates[].Domain.Main}); it is
 *       read too. An empty file is a store that holds nothing yet (Traefik creates it so).</li>
 *   <li><b>Caddy</b> (its {@code file_system} storage): {@code certificates/<issuer>/<name>/<name>.crt} (PEM chain,
 *       leaf first) beside {@code .key} and {@code .json}; an issuer per ACME directory, e.g.
 *       {@code acme-v02.api.letsencrypt.org-directory}.</li>
 * </ul>
 */
public final class CertificateStore {
    private CertificateStore() {}

    public enum Format {
        TRAEFIK("acme.json"), CADDY("caddy storage");

        private final String shown;

        Format(String shown) {
            this.shown = shown;
        }

        public String shown() {
            return shown;
        }
    }

    /**
     * One certificate of a store.
     *
     * @param names    the DNS names it is valid for (subjectAltName, else the subject's CN)
     * @param notAfter end of validity
     * @param serial   lower-case hex
     * @param entry    where in the store: the resolver for acme.json, the issuer directory for Caddy
     */
    public record Cert(List<String> names, Instant notAfter, String serial, String entry) {
        public Cert {
            names = List.copyOf(names);
        }
    }

    /**
     * What one store holds.
     *
     * @param format       its layout
     * @param path         the store in the proxy container ({@code /letsencrypt/acme.json}, {@code /data/caddy})
     * @param present      false when the path does not exist in the container
     * @param certificates readable certificates, in store order
     * @param mode         permission bits of {@code acme.json} (null for Caddy or when absent)
     * @param problems     what could not be read (a broken file, a certificate that does not parse), one line each
     */
    public record Contents(Format format, String path, boolean present, List<Cert> certificates, Integer mode,
            List<String> problems) {
        public Contents {
            certificates = List.copyOf(certificates);
            problems = List.copyOf(problems);
        }

        /** Every name any certificate of the store covers, sorted. */
        public List<String> names() {
            return certificates.stream().flatMap(c -> c.names().stream()).distinct().sorted().toList();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Traefik's {@code acme.json}.
     *
     * @param path the file's path in the container, for messages
     * @param file the file as read, empty when it does not exist
     */
    public static Contents traefik(String path, Optional<ContainerFile> file) {
        if (file.isEmpty()) {
            return new Contents(Format.TRAEFIK, path, false, List.of(), null, List.of());
        }
        byte[] bytes = file.get().content();
        int mode = file.get().mode() & 07777;
        List<Cert> certs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return new Contents(Format.TRAEFIK, path, true, certs, mode, problems); // created empty, nothing yet
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return new Contents(Format.TRAEFIK, path, true, certs, mode, List.of("not valid JSON: " + why));
        }
        if (root == null || !root.isObject()) {
            return new Contents(Format.TRAEFIK, path, true, certs, mode, List.of("not a JSON object"));
        }
        if (field(root, "Certificates") != null || field(root, "Account") != null) {
            readResolver("(traefik 1.x)", root, certs, problems); // Traefik 1.x: one store, no resolver level
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> resolver = it.next();
                if (resolver.getValue() != null && resolver.getValue().isObject()) {
                    readResolver(resolver.getKey(), resolver.getValue(), certs, problems);
                }
            }
        }
        return new Contents(Format.TRAEFIK, path, true, certs, mode, problems);
    }

    private static void readResolver(String resolver, JsonNode data, List<Cert> certs, List<String> problems) {
        JsonNode list = field(data, "Certificates");
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            problems.add("resolver " + resolver + ": Certificates is not a list");
            return;
        }
        int i = 0;
        for (JsonNode c : list) {
            i++;
            JsonNode domain = field(c, "domain");
            String main = domain == null ? null : text(field(domain, "main"));
            String shown = "resolver " + resolver + " certificate " + i + (main == null ? "" : " (" + main + ")");
            String b64 = text(field(c, "certificate"));
            if (b64 == null || b64.isEmpty()) {
                problems.add(shown + ": no certificate data");
                continue;
            }
            byte[] pem;
            try {
                pem = Base64.getMimeDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                problems.add(shown + ": certificate is not base64");
                continue;
            }
            leaf(pem).ifPresentOrElse(x -> certs.add(cert(x, resolver)),
                    () -> problems.add(shown + ": certificate does not parse as PEM/X.509"));
        }
    }

    private static final Pattern CADDY_CRT = Pattern.compile("(?:^|/)certificates/([^/]+)/([^/]+)/([^/]+)\\.crt$");

    /**
     * Caddy's {@code file_system} storage.
     *
     * @param root  the storage directory in the container, for messages
     * @param files its files as read, empty when the directory does not exist; paths may be absolute or relative
     *              to the root, only {@code certificates/<issuer>/<name>/<name>.crt} counts
     */
    public static Contents caddy(String root, Optional<List<ContainerFile>> files) {
        if (files.isEmpty()) {
            return new Contents(Format.CADDY, root, false, List.of(), null, List.of());
        }
        List<Cert> certs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ContainerFile f : files.get()) {
            Matcher m = CADDY_CRT.matcher(f.target());
            if (!m.find() || !m.group(2).equals(m.group(3))) {
                continue;
            }
            String entry = m.group(1);
            leaf(f.content()).ifPresentOrElse(x -> certs.add(cert(x, entry)),
                    () -> problems.add("certificates/" + entry + "/" + m.group(2) + "/" + m.group(3)
                            + ".crt does not parse as PEM/X.509"));
        }
        return new Contents(Format.CADDY, root, true, certs, null, problems);
    }

    /** The first certificate of a PEM (or DER) chain. */
    static Optional<X509Certificate> leaf(byte[] pem) {
        try {
            Collection<? extends java.security.cert.Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            return chain.stream().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                    .findFirst();
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Cert cert(X509Certificate x, String entry) {
        return new Cert(names(x), x.getNotAfter().toInstant(), x.getSerialNumber().toString(16), entry);
    }

    private static List<String> names(X509Certificate x) {
        Set<String> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = x.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0))) { // dNSName
                        names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException ignored) {
            // no readable subjectAltName: the CN below
        }
        if (names.isEmpty()) {
            Matcher cn = Pattern.compile("(?:^|,)\\s*CN=([^,]+)").matcher(x.getSubjectX500Principal().getName());
            if (cn.find()) {
                names.add(cn.group(1).trim().toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(names);
    }

    /** A field by name, any case (Traefik 1.x capitalised what 2.x+ writes in lower case, and the reverse). */
    private static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equalsIgnoreCase(name)) {
                return node.get(k);
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
