package io.bulwark.functions.aws;

import io.bulwark.functions.BulwarkApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.cloud.function.adapter.aws.AWSCompanionAutoConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures where start-up goes: starts the application with Spring's {@link BufferingApplicationStartup} and prints
 * the beans whose instantiation took longest by their own time (their duration minus that of the beans they
 * created), the context phases, and the JVM's loaded-class count. A measurement tool, not a test:
 * <pre>
 * java -cp functions/target/cold-start/extracted/bulwark.jar:functions/target/test-classes \
 *   io.bulwark.functions.aws.StartupSteps lambda|none|servlet [TOP] [--spring.args...]
 * </pre>
 * {@code lambda} starts the context as the Lambda path does ({@link LambdaApplication} and the invoker's
 * {@code AWSCompanionAutoConfiguration}, no web server), {@code none} the runner's full context without a web server
 * (what the Lambda path started before it had its own application class), {@code servlet} the local runner.
 */
public final class StartupSteps {

    private StartupSteps() {
    }

    public static void main(String[] args) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        boolean lambda = args[0].equals("lambda");
        WebApplicationType type = lambda ? WebApplicationType.NONE
                : WebApplicationType.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
        int top = args.length > 1 && !args[1].startsWith("-") ? Integer.parseInt(args[1]) : 25;
        String[] appArgs = java.util.Arrays.stream(args).filter(a -> a.startsWith("--")).toArray(String[]::new);
        BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
        SpringApplication app = lambda
                ? new SpringApplication(LambdaApplication.class, AWSCompanionAutoConfiguration.class)
                : new SpringApplication(BulwarkApplication.class);
        app.setWebApplicationType(type);
        app.setApplicationStartup(startup);
        long before = System.currentTimeMillis();
        try (ConfigurableApplicationContext ignored = app.run(appArgs)) {
            long after = System.currentTimeMillis();
            print(startup.getBufferedTimeline(), top);
            System.out.printf("JVM start to SpringApplication.run: %d ms; run: %d ms; classes loaded: %d%n",
                    before - jvmStart, after - before, ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        }
    }

    private static void print(StartupTimeline timeline, int top) {
        List<StartupTimeline.TimelineEvent> events = timeline.getEvents();
        Map<Long, Long> childNanos = new HashMap<>();
        for (StartupTimeline.TimelineEvent e : events) {
            Long parent = e.getStartupStep().getParentId();
            if (parent != null && e.getStartupStep().getName().equals("spring.beans.instantiate")) {
                childNanos.merge(parent, e.getDuration().toNanos(), Long::sum);
            }
        }
        record Row(String name, String detail, long totalMs, long selfMs) {
        }
        List<Row> beans = new ArrayList<>();
        List<Row> phases = new ArrayList<>();
        for (StartupTimeline.TimelineEvent e : events) {
            StartupStep step = e.getStartupStep();
            long total = e.getDuration().toNanos();
            long self = total - childNanos.getOrDefault(step.getId(), 0L);
            String detail = tag(step, "beanName", tag(step, "postProcessor", ""));
            if (step.getName().equals("spring.beans.instantiate")) {
                beans.add(new Row(step.getName(), detail, ms(total), ms(self)));
            } else if (e.getDuration().compareTo(Duration.ofMillis(50)) >= 0) {
                phases.add(new Row(step.getName(), detail, ms(total), ms(self)));
            }
        }
        System.out.println("Phases of 50 ms or more (total ms, step):");
        phases.forEach(r -> System.out.printf("%8d  %s %s%n", r.totalMs(), r.name(), r.detail()));
        System.out.printf("Beans by own instantiation time (%d beans, own ms / with dependencies ms):%n", beans.size());
        beans.stream().sorted(Comparator.comparingLong(Row::selfMs).reversed()).limit(top)
                .forEach(r -> System.out.printf("%8d %8d  %s%n", r.selfMs(), r.totalMs(), r.detail()));
        System.out.printf("sum of own bean time: %d ms%n", beans.stream().mapToLong(Row::selfMs).sum());
    }

    private static String tag(StartupStep step, String key, String otherwise) {
        for (StartupStep.Tag t : step.getTags()) {
            if (t.getKey().equals(key)) {
                return t.getValue();
            }
        }
        return otherwise;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
