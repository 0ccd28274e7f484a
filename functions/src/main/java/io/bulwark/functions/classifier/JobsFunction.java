package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.jobs.JobRunner;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * {@code GET /jobs?id=<job id>}: a long-running job's state, progress and result (a tuning run's trials and the version
 * it trained); without {@code id}, every kept job, newest first. The dispatcher routes one name per function, so the id
 * is a query parameter, not a path segment.
 */
public final class JobsFunction extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.get("jobs");

    private final JobRunner jobs;

    public JobsFunction(JsonMapper json, JobRunner jobs) {
        super(json);
        this.jobs = jobs;
    }

    /** The answer without {@code id}. */
    public record JobList(List<JobRunner.JobView> jobs) {
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        String id = request.queryParameter("id");
        if (id == null) {
            return new JobList(jobs.list());
        }
        return jobs.get(id.strip()).orElseThrow(() -> new RequestRejected(404, "unknown_job", "id", "no job '"
                + (id.length() > 64 ? id.substring(0, 64) + "…" : id) + "' is kept: it was never submitted, or is"
                + " older than the jobs kept (bulwark.jobs.max-kept)"));
    }
}
