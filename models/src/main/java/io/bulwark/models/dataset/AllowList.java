package io.bulwark.models.dataset;

import io.bulwark.resilience.failure.RequestRejected;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * The hosts an HTTP dataset source may fetch from. An entry is {@code host} or {@code host:port} ({@code [v6]:port}
 * for IPv6). A URL is allowed when its scheme is http or https and an entry names its host (and port, if the entry
 * has one). A host name admits public addresses only: every address it resolves to that is loopback, link-local,
 * private (site-local, IPv6 unique-local, carrier-grade NAT), wildcard or multicast is refused unless the entry is
 * that address itself or {@code localhost} (loopback), so an allowed name that resolves inward (DNS rebinding, a
 * misconfigured record) is not an open door into the network.
 */
final class AllowList {

    /** One entry: a lower-case host (IPv6 without brackets), and a port or -1 for any. */
    record Entry(String host, int port) {
        boolean literal() {
            return host.matches("[0-9.]+") || host.contains(":");
        }
    }

    private final List<Entry> entries;

    AllowList(List<String> hosts) {
        this.entries = hosts.stream().map(AllowList::parse).toList();
    }

    static Entry parse(String entry) {
        String e = entry.strip().toLowerCase(Locale.ROOT);
        if (e.isEmpty() || e.contains("/") || e.contains("*")) {
            throw new IllegalArgumentException("bulwark.datasets.http.allowed-hosts: '" + entry
                    + "' must be a host or host:port");
        }
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bulwark.datasets.http.allowed-hosts: '" + entry + "' is not closed");
            }
            String rest = e.substring(close + 1);
            return new Entry(e.substring(1, close), rest.startsWith(":") ? port(entry, rest.substring(1)) : -1);
        }
        int colon = e.lastIndexOf(':');
        if (colon > 0 && e.indexOf(':') == colon) {
            return new Entry(e.substring(0, colon), port(entry, e.substring(colon + 1)));
        }
        return new Entry(e, -1);
    }

    private static int port(String entry, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException("bulwark.datasets.http.allowed-hosts: '" + entry + "' has a bad port");
        }
    }

    /**
     * Returns the URL's addresses to connect to, or throws the 400 {@code url_not_allowed} naming {@code field}: a
     * scheme other than http(s), a host no entry names, or an inward address the entry does not name.
     */
    void check(URI url, String field) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused(field, "only http and https URLs are fetched, not '" + clip(url.toString()) + "'");
        }
        if (url.getRawUserInfo() != null) {
            throw refused(field, "a URL with credentials in it is not fetched");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw refused(field, "the URL has no host: '" + clip(url.toString()) + "'");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        Entry match = null;
        for (Entry e : entries) {
            if (e.host().equals(host) && (e.port() < 0 || e.port() == port)) {
                match = e;
                break;
            }
        }
        if (match == null) {
            throw refused(field, "the host " + host + (url.getPort() >= 0 ? ":" + port : "")
                    + " is not on the allow-list (bulwark.datasets.http.allowed-hosts"
                    + (entries.isEmpty() ? " is empty" : "") + ")");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new RequestRejected(422, "fetch_failed", field, "the host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (inward(a) && !admits(match, a)) {
                throw refused(field, "the host " + host + " resolves to " + a.getHostAddress() + ", a loopback,"
                        + " link-local or private address, which only an allow-list entry naming that address admits");
            }
        }
    }

    private static boolean admits(Entry entry, InetAddress address) {
        if (entry.host().equals("localhost")) {
            return address.isLoopbackAddress();
        }
        if (!entry.literal()) {
            return false;
        }
        try {
            return InetAddress.getByName(entry.host()).equals(address);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** True for an address inside a network rather than on the internet. */
    static boolean inward(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            return first == 0 || first == 100 && second >= 64 && second < 128 // carrier-grade NAT 100.64/10
                    || first == 198 && (second == 18 || second == 19);         // benchmarking 198.18/15
        }
        if (a instanceof Inet6Address) {
            return (b[0] & 0xFE) == 0xFC; // unique-local fc00::/7
        }
        return false;
    }

    private static RequestRejected refused(String field, String message) {
        return new RequestRejected("url_not_allowed", field, message);
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
