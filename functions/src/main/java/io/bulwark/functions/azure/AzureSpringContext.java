package io.bulwark.functions.azure;

import io.bulwark.functions.BulwarkApplication;
import io.bulwark.functions.http.FunctionDispatcher;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The injector of the Azure handlers: one Spring application context per worker process, started on
 * the first invocation (the Azure Java worker creates handler instances itself and knows nothing of
 * Spring) and shared by every invocation after it.
 */
public final class AzureSpringContext {

    private AzureSpringContext() {
    }

    /** Returns the dispatcher of the worker's application context, starting the context on first use. */
    public static FunctionDispatcher dispatcher() {
        return Holder.CONTEXT.getBean(FunctionDispatcher.class);
    }

    /** The JVM initialises this class, and so starts the context, once and thread-safely, on first use. */
    private static final class Holder {
        static final ConfigurableApplicationContext CONTEXT = new SpringApplicationBuilder(BulwarkApplication.class)
                .web(WebApplicationType.NONE)
                .registerShutdownHook(true)
                .run();
    }
}
