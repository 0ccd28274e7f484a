package io.bulwark.models.jobs;

import io.bulwark.resilience.failure.RequestRejected;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRunnerTest {

    final JobRunner jobs = new JobRunner(1, 1, 10, Clock.systemUTC());
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        jobs.close();
    }

    /** Work that reports a step and waits for the test, or stops when cancelled. */
    JobRunner.Work blocking() {
        return (id, control) -> {
            control.progress(1, 2, "first step");
            while (!control.cancelled()) {
                try {
                    if (release.await(10, TimeUnit.MILLISECONDS)) {
                        control.progress(2, 2, "done");
                        return "result of " + id;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return "stopped";
        };
    }

    JobRunner.JobView await(String id, String state) {
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> jobs.get(id).orElseThrow().state().equals(state));
        return jobs.get(id).orElseThrow();
    }

    @Test
    void should_run_a_job_report_its_progress_and_keep_its_result() {
        JobRunner.JobView queued = jobs.submit("test", blocking());
        assertThat(queued.state()).isIn(JobRunner.QUEUED, JobRunner.RUNNING);

        assertThat(await(queued.id(), JobRunner.RUNNING).progress().message()).isEqualTo("first step");
        release.countDown();
        JobRunner.JobView done = await(queued.id(), JobRunner.SUCCEEDED);
        assertThat(done.result()).isEqualTo("result of " + queued.id());
        assertThat(done.progress().done()).isEqualTo(2);
        assertThat(done.finishedAt()).isNotNull();
        assertThat(jobs.list()).extracting(JobRunner.JobView::id).containsExactly(queued.id());
    }

    @Test
    void should_refuse_past_the_queue_cancel_a_running_job_and_refuse_to_cancel_a_finished_one() {
        JobRunner.JobView running = jobs.submit("test", blocking());
        await(running.id(), JobRunner.RUNNING);
        JobRunner.JobView queued = jobs.submit("test", blocking());
        assertThatThrownBy(() -> jobs.submit("test", blocking())).isInstanceOfSatisfying(RequestRejected.class,
                e -> assertThat(e.status()).isEqualTo(503));

        jobs.cancel(queued.id());
        jobs.cancel(running.id());
        assertThat(await(running.id(), JobRunner.CANCELLED).result()).isEqualTo("stopped");
        await(queued.id(), JobRunner.CANCELLED);
        assertThatThrownBy(() -> jobs.cancel(running.id())).isInstanceOfSatisfying(RequestRejected.class,
                e -> assertThat(e.status()).isEqualTo(409));
        assertThatThrownBy(() -> jobs.cancel("job-nope")).isInstanceOfSatisfying(RequestRejected.class,
                e -> assertThat(e.field()).isEqualTo("id"));
    }
}
