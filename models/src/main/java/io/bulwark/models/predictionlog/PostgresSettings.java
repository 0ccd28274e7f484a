package io.bulwark.models.predictionlog;

import java.util.Objects;

/**
 * How a PostgreSQL prediction log connects and batches ({@code bulwark.prediction-log.postgres.*}).
 *
 * @param url           the JDBC URL, {@code jdbc:postgresql://host:5432/db} (a schema other than {@code public} by
 *                      {@code ?currentSchema=...})
 * @param username      the role; blank: the driver's default (the URL's {@code user=}, else the OS user)
 * @param password      the role's password; blank: none. Never printed by {@link #toString()}
 * @param queueCapacity records waiting in memory for the writer; a record that finds the queue full is dropped (and
 *                      counted), the request is answered all the same
 * @param batchSize     records the writer inserts and commits in one transaction at most
 */
public record PostgresSettings(String url, String username, String password, int queueCapacity, int batchSize) {

    /** The default {@code queue-capacity}: about 10 s of a busy instance's predictions. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    /** The default {@code batch-size}. */
    public static final int DEFAULT_BATCH_SIZE = 500;

    public PostgresSettings {
        Objects.requireNonNull(url, "bulwark.prediction-log.postgres.url");
        if (!url.strip().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("bulwark.prediction-log.postgres.url must be a PostgreSQL JDBC URL,"
                    + " jdbc:postgresql://host:5432/database: " + (url.isBlank() ? "(blank)" : url));
        }
        url = url.strip();
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("bulwark.prediction-log.postgres.queue-capacity must be 1 or more: "
                    + queueCapacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("bulwark.prediction-log.postgres.batch-size must be 1 or more: "
                    + batchSize);
        }
    }

    /** Settings with the default queue capacity and batch size. */
    public static PostgresSettings of(String url, String username, String password) {
        return new PostgresSettings(url, username, password, DEFAULT_QUEUE_CAPACITY, DEFAULT_BATCH_SIZE);
    }

    /** The driver's properties: the role and password when set. */
    java.util.Properties connectionProperties() {
        java.util.Properties p = new java.util.Properties();
        if (username != null && !username.isBlank()) {
            p.setProperty("user", username);
        }
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        return p;
    }

    @Override
    public String toString() {
        return "PostgresSettings[url=" + url + ", username=" + username + ", password="
                + (password == null || password.isEmpty() ? "(none)" : "(set)") + ", queueCapacity=" + queueCapacity
                + ", batchSize=" + batchSize + "]";
    }
}
