package io.bulwark.functions.aws;

import io.bulwark.functions.http.FunctionDispatcher;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the AWS Lambda entry function and the SnapStart priming hook. Beans are cheap and inert off
 * Lambda: nothing calls {@link ApiGatewayFunction} there, and the hook fires only at a checkpoint.
 */
@Configuration(proxyBeanMethods = false)
class LambdaConfiguration {

    @Bean(ApiGatewayFunction.NAME)
    ApiGatewayFunction apiGateway(FunctionDispatcher dispatcher, JsonMapper json) {
        return new ApiGatewayFunction(dispatcher, json);
    }

    @Bean
    SnapStartPriming snapStartPriming(FunctionDispatcher dispatcher, FunctionCatalog catalog, JsonMapper json) {
        return new SnapStartPriming(dispatcher, catalog, json).register();
    }
}
