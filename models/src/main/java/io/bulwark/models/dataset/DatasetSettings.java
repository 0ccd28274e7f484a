package io.bulwark.models.dataset;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where datasets may come from and how much of them: the named database connections, the hosts an HTTP source may
 * name, and the caps on rows, bytes and time.
 *
 * @param connections     the JDBC connections a {@code jdbc} source may name, by name; credentials come from here
 *                        (configuration or a secret), never from a request
 * @param allowedHosts    the hosts an {@code http} source may fetch from: {@code host} or {@code host:port}; a host
 *                        name admits only public addresses, loopback/link-local/private ones must be listed as such
 *                        (an IP literal, or {@code localhost})
 * @param maxRows         the most rows one ingest reads (accepted plus rejected); beyond it the ingest is refused
 * @param maxBytes        the most bytes an HTTP source may send
 * @param httpTimeout     the time an HTTP fetch may take, from connecting to the last byte
 * @param maxRedirects    redirects followed, each to an allowed host
 * @param queryTimeout    the time a database query may run
 * @param rejectedShown   rejected rows listed in an answer (all are kept in the version's report)
 */
public record DatasetSettings(Map<String, JdbcConnection> connections, List<String> allowedHosts, long maxRows,
                              long maxBytes, Duration httpTimeout, int maxRedirects, Duration queryTimeout,
                              int rejectedShown) {

    public static final long DEFAULT_MAX_ROWS = 10_000_000;
    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_REDIRECTS = 5;
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(120);
    public static final int DEFAULT_REJECTED_SHOWN = 1000;

    /**
     * A database a {@code jdbc} source may name.
     *
     * @param url      e.g. {@code jdbc:sqlite:/data/penguins.db} or {@code jdbc:postgresql://db:5432/lab}
     * @param user     null for none
     * @param password null for none; never logged nor answered
     */
    public record JdbcConnection(String url, String user, String password) {
        public JdbcConnection {
            if (url == null || !url.startsWith("jdbc:")) {
                throw new IllegalArgumentException("a dataset connection's url must be a JDBC URL (jdbc:...): " + url);
            }
        }

        @Override
        public String toString() {
            return "JdbcConnection[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "****")
                    + "]";
        }
    }

    public DatasetSettings {
        connections = Map.copyOf(Objects.requireNonNull(connections, "connections"));
        allowedHosts = List.copyOf(Objects.requireNonNull(allowedHosts, "allowedHosts"));
        Objects.requireNonNull(httpTimeout, "httpTimeout");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (maxRows < 1 || maxBytes < 1 || maxRedirects < 0 || rejectedShown < 0 || httpTimeout.isNegative()
                || httpTimeout.isZero() || queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("bulwark.datasets.*: the caps must be positive: " + this);
        }
        for (String host : allowedHosts) {
            AllowList.parse(host); // refuses a malformed entry at start-up
        }
    }

    /** No connections, no hosts, the default caps. */
    public static DatasetSettings defaults() {
        return new DatasetSettings(Map.of(), List.of(), DEFAULT_MAX_ROWS, DEFAULT_MAX_BYTES, DEFAULT_HTTP_TIMEOUT,
                DEFAULT_MAX_REDIRECTS, DEFAULT_QUERY_TIMEOUT, DEFAULT_REJECTED_SHOWN);
    }
}
