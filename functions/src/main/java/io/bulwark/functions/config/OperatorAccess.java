package io.bulwark.functions.config;

import io.bulwark.functions.classifier.AdminAuth;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.security.Principal;

/**
 * Who may see the actuator's health details (disk paths, models, breaker states): the operator, known by the admin
 * token as a bearer. Such a request to the actuator is given the principal {@value #OPERATOR}, which is what
 * {@code management.endpoint.health.show-details=when-authorized} asks for; anyone else sees the status alone, which
 * is all the readiness and liveness probes read.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class OperatorAccess {

    static final String OPERATOR = "operator";

    @Bean
    FilterRegistrationBean<Filter> operatorPrincipal(AdminAuth auth,
                                                     @Value("${management.endpoints.web.base-path:/actuator}") String base) {
        Principal operator = () -> OPERATOR;
        Filter filter = (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            chain.doFilter(auth.accepts(http.getHeader("Authorization")) ? new HttpServletRequestWrapper(http) {
                @Override
                public Principal getUserPrincipal() {
                    return operator;
                }

                @Override
                public String getRemoteUser() {
                    return OPERATOR;
                }
            } : request, response);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(base + "/*");
        return registration;
    }
}
