package io.bulwark.functions.http;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * The local HTTP runner's adapter. Requests on the dispatcher's routes ({@code /sentiment},
 * {@code /v2/models/{name}/infer}) are served by {@link FunctionServlets}' filter before Spring MVC; what reaches this
 * controller is {@code METHOD /{name}} for a name no route has, which the dispatcher answers with a 404 naming the
 * functions it serves. It holds no logic of its own.
 */
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@RestController
class FunctionHttpController {

    private final FunctionDispatcher dispatcher;

    FunctionHttpController(FunctionDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @RequestMapping(path = {"/{name}", "/{name}/"}, method = {RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT,
            RequestMethod.DELETE, RequestMethod.PATCH})
    void invoke(HttpServletRequest request, HttpServletResponse response) throws IOException {
        FunctionServlets.serve(dispatcher, request, response);
    }

    /** Serves the dispatcher's routes ahead of every other filter and Spring MVC (see {@link FunctionServlets}). */
    @Bean
    static FilterRegistrationBean<Filter> functionRouteFilter(ObjectProvider<FunctionDispatcher> dispatcher) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
                FunctionServlets.filter(dispatcher::getObject));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
