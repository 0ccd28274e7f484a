package io.bulwark.functions.config;

import io.bulwark.functions.BulwarkApplication;
import io.bulwark.functions.classifier.PredictionLogger;
import io.bulwark.functions.inference.InferFunction;
import io.bulwark.functions.inference.ModelMetadataFunction;
import io.bulwark.functions.inference.ModelReadyFunction;
import io.bulwark.functions.inference.ServerHealthFunction;
import io.bulwark.functions.inference.ServerMetadataFunction;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.digits.DigitService;
import io.bulwark.models.inference.InferenceModel;
import io.bulwark.models.inference.InferenceProtocol;
import io.bulwark.resilience.Ticker;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Wires the Open Inference Protocol ({@code /v2/...}) over every classifier in the context, one per model type, each
 * under its type's name (a new model type's {@link ClassifierService} bean is served with no change here), and over
 * the digit recogniser ({@code digits}, its {@link DigitService}).
 */
@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

    /** What {@code GET /v2} calls the server's version when no jar says it (running from classes). */
    static final String UNPACKAGED_VERSION = "dev";
    /** Where Maven writes the module's version into every jar it builds (kept by the Boot and the shaded jar). */
    static final String POM_PROPERTIES = "META-INF/maven/io.bulwark/bulwark-functions/pom.properties";

    @Bean
    InferenceProtocol inferenceProtocol(List<ClassifierService<?>> classifiers, ObjectProvider<DigitService> digits,
                                        BulwarkProperties props) {
        List<InferenceModel<?>> models = new ArrayList<>();
        classifiers.forEach(c -> models.add(InferenceModel.of(c)));
        digits.ifAvailable(d -> models.add(d.inferenceModel()));
        return new InferenceProtocol(models, version(), props.classifier().maxBatchRows());
    }

    /** Returns the version of the packaged application, or {@value #UNPACKAGED_VERSION}. */
    static String version() {
        try (InputStream in = BulwarkApplication.class.getClassLoader().getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return UNPACKAGED_VERSION;
            }
            Properties p = new Properties();
            p.load(in);
            return Objects.requireNonNullElse(p.getProperty("version"), UNPACKAGED_VERSION);
        } catch (IOException e) {
            return UNPACKAGED_VERSION;
        }
    }

    @Bean
    ServerMetadataFunction v2ServerMetadata(JsonMapper json, InferenceProtocol protocol) {
        return new ServerMetadataFunction(json, protocol);
    }

    @Bean
    ServerHealthFunction v2Live(JsonMapper json, InferenceProtocol protocol) {
        return new ServerHealthFunction(json, protocol, ServerHealthFunction.LIVE);
    }

    @Bean
    ServerHealthFunction v2Ready(JsonMapper json, InferenceProtocol protocol) {
        return new ServerHealthFunction(json, protocol, ServerHealthFunction.READY);
    }

    @Bean
    ModelMetadataFunction v2ModelMetadata(JsonMapper json, InferenceProtocol protocol) {
        return new ModelMetadataFunction(json, protocol, false);
    }

    @Bean
    ModelMetadataFunction v2VersionMetadata(JsonMapper json, InferenceProtocol protocol) {
        return new ModelMetadataFunction(json, protocol, true);
    }

    @Bean
    ModelReadyFunction v2ModelReady(JsonMapper json, InferenceProtocol protocol) {
        return new ModelReadyFunction(json, protocol, false);
    }

    @Bean
    ModelReadyFunction v2VersionReady(JsonMapper json, InferenceProtocol protocol) {
        return new ModelReadyFunction(json, protocol, true);
    }

    @Bean
    InferFunction v2Infer(JsonMapper json, InferenceProtocol protocol, PredictionLogger logger, Ticker ticker) {
        return new InferFunction(json, protocol, logger, ticker, false);
    }

    @Bean
    InferFunction v2VersionInfer(JsonMapper json, InferenceProtocol protocol, PredictionLogger logger, Ticker ticker) {
        return new InferFunction(json, protocol, logger, ticker, true);
    }
}
