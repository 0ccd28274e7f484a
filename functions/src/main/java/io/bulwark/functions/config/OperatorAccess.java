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
 * user name), which is what a browser sends after the 401's {@code WWW-Authenticate: Basic} prompt. A page shown for
 * the token also sets the cookie {@value #COOKIE} (HttpOnly, SameSite=Strict; a value derived from the token, not the
 * token), which opens the pages too: a browser does not reliably resend Basic credentials with a page's own
 * {@code fetch} (the dashboard's of {@code /metrics/dashboard}), but it sends the cookie.
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
    /** The cookie a page shown for the token sets, and what its value is derived for. */
    static final String COOKIE = "bulwark_operator";

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
            HttpServletResponse answer = (HttpServletResponse) response;
            if (isOpenActuatorPath(http.getRequestURI(), base)) {
                chain.doFilter(request, response);
                return;
            }
            if (isOperator(http, auth)) {
                if (!hasCookie(http, auth)) {
                    answer.addHeader("Set-Cookie", COOKIE + "=" + auth.derive(COOKIE) + "; Path=/; HttpOnly; "
                            + "SameSite=Strict" + (http.isSecure() ? "; Secure" : ""));
                }
                chain.doFilter(request, response);
                return;
            }
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

    /**
     * True if the request carries the admin token as a bearer, as {@code X-Admin-Token} or as a Basic password, or,
     * with none of these headers, the cookie {@value #COOKIE}.
     */
    static boolean isOperator(HttpServletRequest http, AdminAuth auth) {
        String token = http.getHeader(AdminAuth.TOKEN_HEADER);
        if (token != null) {
            return auth.acceptsToken(token);
        }
        String authorization = http.getHeader("Authorization");
        if (authorization == null) {
            return hasCookie(http, auth);
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return auth.acceptsToken(basicPassword(authorization.substring(6).strip()));
        }
        return auth.accepts(authorization);
    }

    private static boolean hasCookie(HttpServletRequest http, AdminAuth auth) {
        jakarta.servlet.http.Cookie[] cookies = http.getCookies();
        if (cookies != null) {
            for (jakarta.servlet.http.Cookie c : cookies) {
                if (COOKIE.equals(c.getName()) && auth.acceptsDerived(COOKIE, c.getValue())) {
                    return true;
                }
            }
        }
        return false;
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
