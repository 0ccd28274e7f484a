package io.bulwark.functions.http;

import io.bulwark.resilience.failure.RequestRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns whatever escapes the HTTP adapter into the contract's error body. A 5xx here is a bug: it is
 * logged with its stack trace, and the caller sees only a request-independent message.
 */
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@RestControllerAdvice
class ApiErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    @ExceptionHandler(RequestRejected.class)
    ResponseEntity<ApiError> api(RequestRejected e) {
        return body(e.status(), ApiError.of(e));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> notFound(NoResourceFoundException e) {
        return body(404, new ApiError("not_found", "no such path: /" + e.getResourcePath(), "path"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return body(405, new ApiError("method_not_allowed", e.getMethod() + " is not supported here", "method"));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return body(406, new ApiError("not_acceptable", "answers are application/json", "Accept"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> bug(Exception e) {
        log.error("Unhandled error in the HTTP adapter", e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR.value(),
                new ApiError("internal_error", "an internal error occurred; it has been logged", null));
    }

    private static ResponseEntity<ApiError> body(int status, ApiError error) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(error);
    }
}
