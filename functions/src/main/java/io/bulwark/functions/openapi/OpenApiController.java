package io.bulwark.functions.openapi;

import io.bulwark.resilience.failure.RequestRejected;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator page {@code GET /openapi.json}: the hand-kept OpenAPI 3.1 description of every function and operator
 * page, served as it is in the jar (local runner only, like the monitoring pages; the cloud runtimes serve functions
 * alone). OpenApiDocumentTest and OpenApiStatusIT hold the document to the code.
 */
@RestController
class OpenApiController {

    /** Where the document lives on the classpath. */
    static final String DOCUMENT = "openapi/openapi.json";

    @GetMapping(path = "/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Resource> document() {
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).contentType(MediaType.APPLICATION_JSON)
                .body(new ClassPathResource(DOCUMENT));
    }

    /* Otherwise the function adapter's /{name} would answer that there is no function "openapi.json". */
    @RequestMapping(path = "/openapi.json", method = {RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE,
            RequestMethod.PATCH})
    void takesGet(HttpMethod method) {
        throw new RequestRejected(405, "method_not_allowed", "method", "/openapi.json takes GET, not " + method.name());
    }
}
