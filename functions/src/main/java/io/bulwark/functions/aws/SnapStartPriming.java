package io.bulwark.functions.aws;

import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.FunctionResponse;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Warms every function before Lambda SnapStart takes its snapshot, so a restored instance answers its
 * first request with the request path's classes loaded and initialised. Each function gets a request
 * with an empty body: the dispatcher, header handling, JSON parsing and the 4xx path all run, and no
 * function does real work (nothing reaches an LLM, a cache or a ledger).
 * <p>
 * Registered with {@code org.crac}; on a JVM without CRaC (the local runner, Azure) the hook never fires.
 */
public final class SnapStartPriming implements Resource {

    private static final Logger log = LoggerFactory.getLogger(SnapStartPriming.class);

    private final FunctionDispatcher dispatcher;

    public SnapStartPriming(FunctionDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Registers this hook with the JVM's checkpoint/restore coordinator. */
    public SnapStartPriming register() {
        Core.getGlobalContext().register(this);
        return this;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        List<FunctionResponse> answers = prime();
        log.info("Primed {} functions before the snapshot: statuses {}", answers.size(),
                answers.stream().map(FunctionResponse::status).toList());
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to reopen: the functions hold no sockets or files across a snapshot.
    }

    /** Sends each function one empty-bodied request and returns the answers, in endpoint order. */
    public List<FunctionResponse> prime() {
        List<FunctionResponse> answers = new ArrayList<>();
        for (FunctionEndpoints.Endpoint e : dispatcher.endpoints().all()) {
            answers.add(dispatcher.dispatch(new FunctionRequest(e.method(), "/" + e.name(),
                    Map.of("content-type", "application/json", "x-request-id", "snapstart-priming"), new byte[0])));
        }
        return answers;
    }
}
