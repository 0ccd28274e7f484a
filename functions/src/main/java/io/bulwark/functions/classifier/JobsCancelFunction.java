package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.jobs.JobRunner;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * {@code POST /jobs_cancel} (admin): {@code {"id": "job-..."}} → the job stops at its next step (a tuning run between
 * trials; a queued one never starts), trains nothing, and ends {@code cancelled}. 404 for an unknown job, 409 for one
 * that has ended. (One route per function name: {@code DELETE /jobs} would be a second function at {@code /jobs}.)
 */
public final class JobsCancelFunction extends AdminFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("jobs_cancel");

    private final JobRunner jobs;

    public JobsCancelFunction(JsonMapper json, ClassifierService<?> classifier, AdminAuth auth, JobRunner jobs) {
        super(json, classifier, auth, ENDPOINT);
        this.jobs = jobs;
    }

    @Override
    Object serve(FunctionRequest request) {
        JsonNode body = optionalJsonObject(request, List.of("id"));
        JsonNode id = body.get("id");
        if (id == null || id.isNull()) {
            throw new RequestRejected("missing_field", "id", "\"id\" is required: the job_id /tune answered");
        }
        if (!id.isString()) {
            throw new RequestRejected("invalid_type", "id", "\"id\" must be a string");
        }
        return jobs.cancel(id.stringValue().strip());
    }
}
