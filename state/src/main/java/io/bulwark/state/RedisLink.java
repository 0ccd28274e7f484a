package io.bulwark.state;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one connection of an instance to Redis. A request never opens a connection or waits past the configured
 * time-out: connections are opened by a background thread, commands are refused at once while disconnected
 * (Lettuce's {@code REJECT_COMMANDS}) and skipped for a retry pause after a failure.
 */
final class RedisLink implements SharedStateHealth, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    private final StateConfig config;
    private final RedisClient client;
    private final ScheduledExecutorService background;
    private final List<PubSubSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile long skipUntilNanos;
    private volatile boolean available;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong recoveries = new AtomicLong();

    record PubSubSubscription(String channel, Consumer<String> onMessage) {
    }

    RedisLink(StateConfig config) {
        this.config = config;
        RedisURI uri = RedisURI.create(config.redisUrl());
        uri.setTimeout(config.timeout());
        this.client = newClient(uri, config);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(config.retry()).build())
                .build());
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulwark-shared-state");
            t.setDaemon(true);
            return t;
        });
        background.execute(this::connect);
        background.scheduleWithFixedDelay(this::connect, config.retry().toMillis(), config.retry().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Returns a client that re-opens a lost connection every {@link StateConfig#retry()}. Lettuce's default backs off
     * exponentially up to 30 s, so after an outage of a few seconds a Redis that is back stayed unused for up to half
     * a minute (the {@code redis-killed} chaos scenario measured 14.5 s); shut it down with {@link #shutdown}.
     */
    static RedisClient newClient(RedisURI uri, StateConfig config) {
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.constant(config.retry())).build();
        return RedisClient.create(resources, uri);
    }

    /** Shuts down a client of {@link #newClient} and its resources. */
    static void shutdown(RedisClient client) {
        ClientResources resources = client.getResources();
        try {
            client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2));
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Opens the connections if they are not open; Lettuce re-opens a lost one (and re-subscribes) by itself. */
    private void connect() {
        try {
            if (connection == null) {
                connection = client.connect();
                log.info("Shared state: connected to {}", config);
                markUp();
            }
            if (pubSub == null) {
                StatefulRedisPubSubConnection<String, String> p = client.connectPubSub();
                p.addListener(new RedisPubSubListener<>() {
                    @Override
                    public void message(String channel, String message) {
                        for (PubSubSubscription s : subscriptions) {
                            if (s.channel().equals(channel)) {
                                try {
                                    s.onMessage().accept(message);
                                } catch (RuntimeException e) {
                                    log.warn("Shared state: a message on {} failed: {}", channel, e.toString());
                                }
                            }
                        }
                    }

                    @Override
                    public void message(String pattern, String channel, String message) {
                    }

                    @Override
                    public void subscribed(String channel, long count) {
                    }

                    @Override
                    public void psubscribed(String pattern, long count) {
                    }

                    @Override
                    public void unsubscribed(String channel, long count) {
                    }

                    @Override
                    public void punsubscribed(String pattern, long count) {
                    }
                });
                pubSub = p; // first, so that a subscription added from now on is sent by subscribe() itself
                for (PubSubSubscription s : subscriptions) {
                    p.sync().subscribe(s.channel());
                }
            }
        } catch (RuntimeException e) {
            markDown(e, "connect");
        }
    }

    /** Hears every message published on {@code channel} (on a Lettuce thread); never blocks the caller. */
    void subscribe(String channel, Consumer<String> onMessage) {
        subscriptions.add(new PubSubSubscription(channel, onMessage));
        StatefulRedisPubSubConnection<String, String> p = pubSub;
        if (p != null) {
            p.async().subscribe(channel);
        }
    }

    /** Runs one command within the time-out, or throws {@link SharedStateUnavailable} at once. */
    <T> T call(String what, Function<RedisCommands<String, String>, T> command) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            failures.incrementAndGet();
            throw new SharedStateUnavailable(what + ": not connected to Redis", null);
        }
        if (System.nanoTime() - skipUntilNanos < 0) {
            failures.incrementAndGet();
            throw new SharedStateUnavailable(what + ": Redis failed a moment ago; tried again after "
                    + config.retry().toMillis() + " ms", null);
        }
        try {
            T value = command.apply(c.sync());
            markUp();
            return value;
        } catch (RuntimeException e) {
            markDown(e, what);
            throw new SharedStateUnavailable(what + ": " + e, e);
        }
    }

    /** Sends one command without waiting for its answer (a failure is only counted). */
    void fireAndForget(String what, Function<io.lettuce.core.api.async.RedisAsyncCommands<String, String>,
            java.util.concurrent.CompletionStage<?>> command) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || System.nanoTime() - skipUntilNanos < 0) {
            failures.incrementAndGet();
            return;
        }
        try {
            command.apply(c.async()).whenComplete((v, e) -> {
                if (e != null) {
                    markDown(e instanceof RuntimeException r ? r : new RuntimeException(e), what);
                }
            });
        } catch (RuntimeException e) {
            markDown(e, what);
        }
    }

    private void markUp() {
        if (!available) {
            available = true;
            if (failures.get() > 0) {
                recoveries.incrementAndGet();
                log.warn("Shared state: Redis answers again ({}); shared behaviour resumes", config);
            }
        }
    }

    private void markDown(RuntimeException e, String what) {
        failures.incrementAndGet();
        skipUntilNanos = System.nanoTime() + config.retry().toNanos();
        if (available || failures.get() == 1) {
            log.warn("Shared state: Redis did not answer ({}: {}); deciding from in-process state, trying again "
                    + "every {} ms", what, e.toString(), config.retry().toMillis());
        }
        available = false;
    }

    String key(String name) {
        return config.keyPrefix() + name;
    }

    StateConfig config() {
        return config;
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public long recoveries() {
        return recoveries.get();
    }

    @Override
    public void close() {
        background.shutdownNow();
        try {
            if (pubSub != null) {
                pubSub.close();
            }
            if (connection != null) {
                connection.close();
            }
        } finally {
            shutdown(client);
        }
    }
}
