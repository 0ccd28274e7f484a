package io.bulwark.models.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.resilience.failure.RequestRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs long work (a tuning run) off the request thread: a fixed number of workers, a bounded queue (a submission past
 * it is refused with 503 {@code jobs_busy}), cooperative cancellation, progress, and the last
 * {@code maxKept} jobs kept for {@code GET /jobs}. In memory: jobs do not survive a restart.
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    public static final int DEFAULT_WORKERS = 1;
    public static final int DEFAULT_MAX_QUEUED = 4;
    public static final int DEFAULT_MAX_KEPT = 100;

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    /** What a job is told and tells back while it runs. */
    public interface Control {
        /** Reports progress: {@code done} of {@code total} steps, and what the last one was. */
        void progress(int done, int total, String message);

        /** True once cancellation was asked for: stop at the next step and return what there is. */
        boolean cancelled();
    }

    /** The work of a job; its result is shown by {@code GET /jobs} (a record written as JSON). */
    @FunctionalInterface
    public interface Work {
        Object run(String jobId, Control control);
    }

    /** A job as {@code GET /jobs} shows it. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"id", "kind", "state", "created_at", "started_at", "finished_at", "progress", "result",
            "error"})
    public record JobView(String id, String kind, String state, @JsonProperty("created_at") Instant createdAt,
                          @JsonProperty("started_at") Instant startedAt,
                          @JsonProperty("finished_at") Instant finishedAt, Progress progress, Object result,
                          String error) {
    }

    /** How far a job has come. */
    @JsonPropertyOrder({"done", "total", "message"})
    public record Progress(int done, int total, String message) {
    }

    private final class Job implements Control {
        final String id;
        final String kind;
        final Instant created;
        volatile String state = QUEUED;
        volatile Instant started;
        volatile Instant finished;
        volatile Progress progress = new Progress(0, 0, null);
        volatile Object result;
        volatile String error;
        volatile boolean cancel;

        Job(String id, String kind, Instant created) {
            this.id = id;
            this.kind = kind;
            this.created = created;
        }

        @Override
        public void progress(int done, int total, String message) {
            progress = new Progress(done, total, message);
        }

        @Override
        public boolean cancelled() {
            return cancel;
        }

        JobView view() {
            return new JobView(id, kind, state, created, started, finished, progress, result, error);
        }
    }

    private final ThreadPoolExecutor executor;
    private final int maxKept;
    private final Clock clock;
    private final LinkedHashMap<String, Job> jobs = new LinkedHashMap<>();

    public JobRunner(int workers, int maxQueued, int maxKept, Clock clock) {
        if (workers < 1 || maxQueued < 0 || maxKept < 1) {
            throw new IllegalArgumentException("a job runner needs workers >= 1, max-queued >= 0, max-kept >= 1");
        }
        this.maxKept = maxKept;
        this.clock = clock;
        this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                maxQueued == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(maxQueued),
                r -> {
                    Thread t = new Thread(r, "bulwark-jobs");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Queues {@code work}; throws the 503 {@code jobs_busy} when every worker is busy and the queue is full. */
    public JobView submit(String kind, Work work) {
        Job job = new Job("job-" + UUID.randomUUID(), kind, clock.instant());
        synchronized (this) {
            try {
                executor.execute(() -> run(job, work));
            } catch (RejectedExecutionException e) {
                throw new RequestRejected(503, "jobs_busy", null, "every job worker is busy and the queue is full"
                        + " (bulwark.jobs.workers, bulwark.jobs.max-queued): try again later");
            }
            jobs.put(job.id, job);
            for (var it = jobs.values().iterator(); jobs.size() > maxKept && it.hasNext(); ) {
                Job old = it.next();
                if (old.finished != null) {
                    it.remove();
                }
            }
        }
        return job.view();
    }

    private void run(Job job, Work work) {
        if (job.cancel) {
            finish(job, CANCELLED);
            return;
        }
        job.started = clock.instant();
        job.state = RUNNING;
        try {
            job.result = work.run(job.id, job);
            finish(job, job.cancel ? CANCELLED : SUCCEEDED);
        } catch (RequestRejected e) {
            job.error = e.getMessage();
            finish(job, FAILED);
        } catch (RuntimeException e) {
            log.error("job {} ({}) failed", job.id, job.kind, e);
            job.error = job.kind + " failed unexpectedly; the error is in the server's log";
            finish(job, FAILED);
        }
    }

    private void finish(Job job, String state) {
        job.finished = clock.instant();
        job.state = state;
    }

    /** Returns a job, or empty when it is unknown (never submitted, or dropped beyond the last {@code maxKept}). */
    public synchronized Optional<JobView> get(String id) {
        Job j = jobs.get(id);
        return j == null ? Optional.empty() : Optional.of(j.view());
    }

    /** Returns the kept jobs, newest first. */
    public synchronized List<JobView> list() {
        List<JobView> all = new ArrayList<>();
        jobs.values().forEach(j -> all.add(0, j.view()));
        return all;
    }

    /**
     * Asks a queued or running job to stop: a queued one never starts, a running one stops at its next step (a
     * tuning run between trials). 404 {@code unknown_job}; 409 {@code job_finished} when it has already ended.
     */
    public synchronized JobView cancel(String id) {
        Job j = jobs.get(id);
        if (j == null) {
            throw new RequestRejected(404, "unknown_job", "id", "no job " + clip(id) + " is kept: it was never"
                    + " submitted, or is older than the last " + maxKept);
        }
        if (j.finished != null || SUCCEEDED.equals(j.state) || FAILED.equals(j.state) || CANCELLED.equals(j.state)) {
            throw new RequestRejected(409, "job_finished", "id", "job " + id + " has already ended: " + j.state);
        }
        j.cancel = true;
        return j.view();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
