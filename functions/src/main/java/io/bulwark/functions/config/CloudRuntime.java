package io.bulwark.functions.config;

import org.springframework.core.env.PropertyResolver;

/**
 * Where the application runs, as the platform's own environment variables tell: AWS Lambda sets
 * {@value #LAMBDA_VARIABLE} in every function's environment, the Azure Functions host sets {@value #AZURE_VARIABLE}
 * for its language workers. Anything else (the local runner, a container) is {@link #LOCAL}.
 */
public enum CloudRuntime {

    AWS_LAMBDA, AZURE_FUNCTIONS, LOCAL;

    static final String LAMBDA_VARIABLE = "AWS_LAMBDA_FUNCTION_NAME";
    static final String AZURE_VARIABLE = "FUNCTIONS_WORKER_RUNTIME";

    /** Returns the runtime the environment (its system environment, or properties of the same names) names. */
    public static CloudRuntime detect(PropertyResolver environment) {
        if (hasText(environment.getProperty(LAMBDA_VARIABLE))) {
            return AWS_LAMBDA;
        }
        return hasText(environment.getProperty(AZURE_VARIABLE)) ? AZURE_FUNCTIONS : LOCAL;
    }

    /** True on a cloud function runtime, where logs are collected as lines and nothing scrapes the process. */
    public boolean cloud() {
        return this != LOCAL;
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
