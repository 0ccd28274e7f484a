package io.bulwark.functions.http;

import org.apache.catalina.Container;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts {@link JsonErrorReportValve} in place of Tomcat's HTML error report. It runs after Spring Boot's own
 * customizer, which adds a plain {@link ErrorReportValve} to the host; that one is replaced.
 */
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(TomcatServletWebServerFactory.class)
@Component
class JsonErrorPages implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final JsonMapper json;

    JsonErrorPages(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Container parent = context.getParent();
            for (Valve valve : parent.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    parent.getPipeline().removeValve(valve);
                }
            }
            parent.getPipeline().addValve(new JsonErrorReportValve(json));
            if (parent instanceof StandardHost host) {
                // Else the host adds Tomcat's default report valve again when it starts.
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
