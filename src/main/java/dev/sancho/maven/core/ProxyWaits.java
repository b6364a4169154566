package dev.sancho.maven.core;

import dev.sancho.maven.plan.Action;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What the cutover waits for, given how the proxy in front of the app services finds them (measurements in
 * {@code bench/RESULTS.md}):
 * <ul>
 * <li>{@link Proxy#DNS} (nginx, haproxy, caddy resolving the service name): the proxy may use a DNS answer for
 * {@code resolveInterval}. The new deploy must have been in DNS that long before the old one leaves it (counted from
 * when it joins DNS, once it is ready), and the old one must stay reachable that long after it left DNS.</li>
 * <li>{@link Proxy#LABELS} (Traefik's Docker provider, which learns about containers from the engine's events, not
 * from DNS): no DNS wait and no drain, but the old deploy is stopped only {@link #inViewBeforeStop()} after the new one
 * is ready. By Traefik's source ({@code pkg/provider/docker/pdocker.go}, {@code config.go}): the provider lists and
 * inspects every container again on a container's {@code start}, {@code die} or {@code health_status} event only, keeps
 * a container whose health is neither empty nor {@code healthy} out of its configuration ({@code keepContainer}), and
 * Traefik applies a provider's configuration at most once per {@code providersThrottleDuration} (default 2 s; a newer
 * one waits out the rest). So the new container's {@code health_status: healthy} event may reach the routing up to
 * that long later, while the old one stays in it until its {@code die} event (traefik issues #7886, #11252). Stopping
 * the old deploy right at "ready" can leave Traefik with only a container that is shutting down.</li>
 * <li>{@link Proxy#NONE} (clients resolve the service name for each connection): no DNS wait; the drain lasts only
 * until the old containers' open connections are gone.</li>
 * </ul>
 * In every case the drain ends as soon as the old containers have no open inbound connection left (after the
 * re-resolve interval), and at the latest after {@code maxDrain}, or after the interval if that is longer.
 *
 * <p>With a proxy reload ({@code x-sancho-proxy: {reload: ...}}, {@link #reloads()}) both DNS waits shrink to what
 * the reload needs, observed ({@link ProxyReloads}): the proxy is told to resolve afresh right after the new deploy
 * joined DNS and again right after the old one left it. A reload that fails falls back to the waits above.
 *
 * @param resolveInterval {@code sancho.proxyResolveInterval}
 * @param maxDrain        {@code sancho.drainSeconds}
 * @param reloads         the proxies to reload at the cutover (the plan's {@link Action.ReloadProxy}s); empty: none
 */
public record ProxyWaits(Proxy proxy, Duration resolveInterval, Duration maxDrain, List<Action.ReloadProxy> reloads) {

    public ProxyWaits {
        reloads = reloads == null ? List.of() : List.copyOf(reloads);
    }

    /** Without a proxy reload. */
    public ProxyWaits(Proxy proxy, Duration resolveInterval, Duration maxDrain) {
        this(proxy, resolveInterval, maxDrain, List.of());
    }

    /** These waits, with the cutover reloading {@code proxies} (replacing any set before). */
    public ProxyWaits withReloads(List<Action.ReloadProxy> proxies) {
        return new ProxyWaits(proxy, resolveInterval, maxDrain, proxies);
    }

    /**
     * The parameters' defaults ({@code sancho.proxy=dns}, {@code sancho.proxyResolveInterval=2s},
     * {@code sancho.drainSeconds=2s}): a target that has no cutover of its own refuses any other value.
     */
    public static final ProxyWaits DEFAULT = new ProxyWaits(Proxy.DNS, Duration.ofSeconds(2), Duration.ofSeconds(2));

    /** {@code sancho.minReadySeconds}'s default. */
    public static final Duration DEFAULT_MIN_READY = Duration.ofSeconds(2);

    public enum Proxy {
        DNS, LABELS, NONE;

        /** The parameter's value, any case; null when it is none of them. */
        public static Proxy parse(String value) {
            for (Proxy p : values()) {
                if (p.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return p;
                }
            }
            return null;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The waits of a caller that knows only {@code sancho.drainSeconds} (as before the re-resolve interval was a
     * parameter of its own): a DNS proxy whose re-resolve interval is the drain.
     */
    public static ProxyWaits dns(Duration drain) {
        return new ProxyWaits(Proxy.DNS, drain, drain);
    }

    /**
     * What Traefik's provider needs beyond its throttle to apply a change: listing and inspecting the engine's
     * containers and building the configuration (milliseconds on a host with a few hundred containers).
     */
    public static final Duration TRAEFIK_LISTING = Duration.ofSeconds(1);

    /**
     * How long the old deploy keeps running after the new one is ready, so a label-routed proxy routes to the new one
     * before the old one stops: for {@link Proxy#LABELS}, {@code sancho.proxyResolveInterval} read as Traefik's
     * {@code providersThrottleDuration} (both default to 2 s) plus {@link #TRAEFIK_LISTING}; zero otherwise (a DNS
     * proxy's wait is {@link #inDnsBeforeSwitch()}).
     */
    public Duration inViewBeforeStop() {
        return proxy == Proxy.LABELS ? resolveInterval.plus(TRAEFIK_LISTING) : Duration.ZERO;
    }

    /** How long the new deploy must have been in DNS before the old one leaves it. */
    public Duration inDnsBeforeSwitch() {
        return proxy == Proxy.DNS ? resolveInterval : Duration.ZERO;
    }

    /** The drain never ends earlier: a proxy may still send requests to an address it resolved before the switch. */
    public Duration minDrain() {
        return proxy == Proxy.DNS ? resolveInterval : Duration.ZERO;
    }

    /** The drain never ends later, whatever the old containers' connections. */
    public Duration maxDrainOrMin() {
        if (proxy == Proxy.LABELS) {
            return Duration.ZERO;
        }
        return maxDrain.compareTo(minDrain()) >= 0 ? maxDrain : minDrain();
    }
}
