package io.bulwark.functions.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * The servlet container's error page ({@code /error}) as the contract's JSON, in place of Spring Boot's own error
 * body. Asked for directly, {@code /error} is a path like any other: the dispatcher's 404.
 */
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@RestController
class JsonErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(JsonErrorController.class);

    private final FunctionDispatcher dispatcher;

    JsonErrorController(FunctionDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<?> error(HttpServletRequest request) {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            FunctionResponse r = dispatcher.dispatch(new FunctionRequest(request.getMethod(), request.getRequestURI(),
                    Map.of(), null));
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(r.status());
            r.headers().forEach(answer::header);
            return answer.body(r.body());
        }
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer s ? s : 500;
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t) {
            log.error("Unhandled error before the HTTP adapter on {} {}", request.getMethod(),
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), t);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiError.ofStatus(status));
    }
}
