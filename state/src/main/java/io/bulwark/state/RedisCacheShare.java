package io.bulwark.state;

import io.bulwark.resilience.cache.CacheShare;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The caches' second level on Redis. Exact answers: a string key per normalised-text hash, with the exact cache's
 * TTL. Semantic entries: a stream per embedder ({@code semantic:<embedder>}, trimmed to about {@link #MAX_LENGTH}
 * entries) of the text, its embedding (float32, base64) and the answer, read by one background thread per instance
 * on a connection of its own (its reads block for a second at a time): at start the last {@link #BACKLOG} entries
 * that are younger than the TTL, then every new one. An instance skips its own entries.
 */
final class RedisCacheShare implements CacheShare, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisCacheShare.class);

    /** Entries read from the stream's end at start, at most. */
    static final int BACKLOG = 1_000;
    /** The stream is trimmed (approximately) to this many entries. */
    static final long MAX_LENGTH = 10_000;
    private static final Duration BLOCK = Duration.ofSeconds(1);

    private final RedisLink link;
    private final String stream;
    private final String self = UUID.randomUUID().toString();
    private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();
    private volatile Duration ttl;
    private volatile Thread reader;
    private volatile boolean running = true;

    RedisCacheShare(RedisLink link, String embedder) {
        this.link = link;
        this.stream = link.key("semantic:" + embedder);
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(link.call("cache get", c -> c.get(link.key("exact:" + key))));
    }

    @Override
    public void publish(Entry entry, Duration entryTtl) {
        link.fireAndForget("cache put", c -> c.set(link.key("exact:" + entry.key()), entry.value(),
                SetArgs.Builder.px(entryTtl.toMillis())));
        if (entry.vector() != null) {
            link.fireAndForget("semantic share", c -> c.xadd(stream,
                    XAddArgs.Builder.maxlen(MAX_LENGTH).approximateTrimming(),
                    Map.of("from", self, "text", entry.text(), "vector", encode(entry.vector()),
                            "value", entry.value(), "key", entry.key())));
        }
    }

    @Override
    public synchronized void subscribe(Duration entryTtl, Consumer<Entry> listener) {
        listeners.add(listener);
        this.ttl = entryTtl;
        if (reader == null) {
            reader = Thread.ofPlatform().daemon().name("bulwark-semantic-share").start(this::read);
        }
    }

    private void read() {
        StateConfig config = link.config();
        RedisURI uri = RedisURI.create(config.redisUrl());
        uri.setTimeout(BLOCK.plus(config.timeout()).plusSeconds(1));
        RedisClient client = RedisLink.newClient(uri, config);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        StatefulRedisConnection<String, String> connection = null;
        String last = null;
        while (running) {
            try {
                if (connection == null) {
                    connection = client.connect();
                }
                if (last == null) {
                    last = backlog(connection);
                }
                List<StreamMessage<String, String>> news = connection.sync().xread(
                        XReadArgs.Builder.block(BLOCK).count(100), XReadArgs.StreamOffset.from(stream, last));
                for (StreamMessage<String, String> m : news) {
                    deliver(m);
                    last = m.getId();
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                log.debug("Semantic share: {}; reading again in {} ms", e.toString(), config.retry().toMillis());
                try {
                    Thread.sleep(config.retry().toMillis());
                } catch (InterruptedException stop) {
                    break;
                }
            }
        }
        Thread.interrupted(); // close() interrupts a blocked read: the shutdown below must not see that interrupt
        try {
            if (connection != null) {
                connection.close();
            }
            RedisLink.shutdown(client);
        } catch (RuntimeException e) {
            log.debug("Semantic share: closing: {}", e.toString());
        }
    }

    /** Delivers the recent entries younger than the TTL, oldest first; returns where to read on from. */
    private String backlog(StatefulRedisConnection<String, String> connection) {
        List<StreamMessage<String, String>> recent = new ArrayList<>(connection.sync().xrevrange(stream,
                Range.create("-", "+"), Limit.from(BACKLOG)));
        if (recent.isEmpty()) {
            return "0-0";
        }
        Collections.reverse(recent);
        long oldest = System.currentTimeMillis() - ttl.toMillis();
        int delivered = 0;
        for (StreamMessage<String, String> m : recent) {
            if (millis(m.getId()) >= oldest) {
                deliver(m);
                delivered++;
            }
        }
        log.info("Semantic share: {} recent entries of {} read from {}", delivered, recent.size(), stream);
        return recent.getLast().getId();
    }

    private static long millis(String id) {
        int dash = id.indexOf('-');
        return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    }

    private void deliver(StreamMessage<String, String> m) {
        Map<String, String> body = m.getBody();
        if (self.equals(body.get("from")) || body.get("text") == null || body.get("value") == null) {
            return;
        }
        try {
            Entry entry = new Entry(body.getOrDefault("key", ""), body.get("text"), decode(body.get("vector")),
                    body.get("value"));
            listeners.forEach(l -> l.accept(entry));
        } catch (RuntimeException damaged) {
            log.debug("Semantic share: entry {} skipped: {}", m.getId(), damaged.toString());
        }
    }

    static String encode(float[] vector) {
        ByteBuffer b = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    static float[] decode(String text) {
        if (text == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / Float.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    @Override
    public synchronized void close() {
        running = false; // the reader closes its connection and client as it stops (within one blocking read)
        if (reader != null) {
            reader.interrupt();
        }
    }

    @Override
    public String toString() {
        return "Redis keys exact:*, stream " + stream;
    }
}
