package io.bulwark.functions.config;

import io.bulwark.functions.classifier.AdminAuth;
import io.bulwark.functions.http.ApiError;
import io.bulwark.functions.http.FunctionResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;

/**
 * Who may see the operator pages: the operator, known by the admin token.
 * <p>
 * The pages ({@code /dashboard}, {@code /metrics/*}, {@code /alerts} and every actuator endpoint but health) answer a
 * request without the token with a 401 while {@code bulwark.operator.require-token} is on (the default): they show
 * traffic, costs, models and the JVM, and the Prometheus scrape is one of them. The token is accepted as
 * {@code Authorization: Bearer <token>}, as {@code X-Admin-Token: <token>}, or as the password of HTTP Basic (any
 * user name), which is what a browser sends after the 401's {@code WWW-Authenticate: Basic} prompt, and then sends
 * again with the dashboard's own {@code fetch} of {@code /metrics/dashboard}.
 * <p>
 * Health stays open to probes, but its details (disk paths, models, breaker states) are for the operator alone: such
 * a request to the actuator is given the principal {@value #OPERATOR}, which is what
 * {@code management.endpoint.health.show-details=when-authorized} asks for; anyone else sees the status alone.
 * {@code /openapi.json} (the public contract) and {@code /webjars/*} (the dashboard's script) stay open.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class OperatorAccess {

    static final String OPERATOR = "operator";
    static final String REALM = "Basic realm=\"bulwark operator\", charset=\"UTF-8\"";

    @Bean
    FilterRegistrationBean<Filter> operatorPrincipal(AdminAuth auth,
                                                     @Value("${management.endpoints.web.base-path:/actuator}") String base) {
        Principal operator = () -> OPERATOR;
        Filter filter = (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            chain.doFilter(isOperator(http, auth) ? new HttpServletRequestWrapper(http) {
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

    @Bean
    FilterRegistrationBean<Filter> operatorPages(AdminAuth auth, OperatorProperties settings, JsonMapper json,
                                                 @Value("${management.endpoints.web.base-path:/actuator}") String base) {
        byte[] refusal = json.writeValueAsBytes(new ApiError("unauthorized", "this page is the operator's: send the "
                + "admin token as 'Authorization: Bearer <token>', as 'X-Admin-Token', or as the password of HTTP "
                + "Basic", "Authorization"));
        Filter filter = (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            if (isOpenActuatorPath(http.getRequestURI(), base) || isOperator(http, auth)) {
                chain.doFilter(request, response);
                return;
            }
            HttpServletResponse answer = (HttpServletResponse) response;
            answer.setStatus(401);
            answer.setHeader("WWW-Authenticate", REALM);
            answer.setHeader("Cache-Control", "no-store");
            answer.setContentType(FunctionResponse.CONTENT_TYPE);
            answer.setContentLength(refusal.length);
            answer.getOutputStream().write(refusal);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/dashboard", "/dashboard/*", "/metrics", "/metrics/*", "/alerts", "/alerts/*",
                base, base + "/*");
        registration.setEnabled(settings.requireToken());
        return registration;
    }

    /** Health and its groups (liveness, readiness) answer anyone: probes carry no token. */
    private static boolean isOpenActuatorPath(String uri, String base) {
        String health = base + "/health";
        return uri.equals(health) || uri.startsWith(health + "/");
    }

    /** True if the request carries the admin token as a bearer, as {@code X-Admin-Token} or as a Basic password. */
    static boolean isOperator(HttpServletRequest http, AdminAuth auth) {
        String token = http.getHeader(AdminAuth.TOKEN_HEADER);
        if (token != null) {
            return auth.acceptsToken(token);
        }
        String authorization = http.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return auth.acceptsToken(basicPassword(authorization.substring(6).strip()));
        }
        return auth.accepts(authorization);
    }

    private static String basicPassword(String credentials) {
        try {
            String pair = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : pair.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null; // not base64: no password, so not the operator
        }
    }
}
