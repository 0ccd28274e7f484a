package io.bulwark.state;

import io.bulwark.resilience.BreakerNews;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Breaker news on a Redis pub/sub channel: {@code <instance id> <model>}, published without waiting for Redis and
 * heard on Lettuce's thread; an instance ignores its own news. Pub/sub delivers to the instances connected at that
 * moment (one that is reconnecting misses it and finds the outage itself, as it would alone).
 */
final class RedisBreakerNews implements BreakerNews {

    private final RedisLink link;
    private final String channel;
    private final String self = UUID.randomUUID().toString();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    RedisBreakerNews(RedisLink link) {
        this.link = link;
        this.channel = link.key("breaker-news");
        link.subscribe(channel, this::heard);
    }

    private void heard(String message) {
        int space = message.indexOf(' ');
        if (space < 0 || message.substring(0, space).equals(self)) {
            return;
        }
        String model = message.substring(space + 1);
        listeners.forEach(l -> l.accept(model));
    }

    @Override
    public void opened(String model) {
        link.fireAndForget("breaker news", c -> c.publish(channel, self + " " + model));
    }

    @Override
    public void onOpened(Consumer<String> listener) {
        listeners.add(listener);
    }

    @Override
    public String toString() {
        return "Redis channel " + channel;
    }
}
