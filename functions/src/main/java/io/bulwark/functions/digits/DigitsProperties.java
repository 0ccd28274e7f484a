package io.bulwark.functions.digits;

import io.bulwark.models.digits.DigitService;
import io.bulwark.models.digits.ImageLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * The {@code bulwark.digits.*} settings of the digit recogniser; defaults are the library's constants.
 *
 * @param registry            the directory of the digit versions (the shipped v1 is installed into it when empty)
 * @param variant             the variant serving requests without X-Model-Variant: fp32, fp16 or int8
 * @param confidenceThreshold below this probability the answer is "uncertain", with the best guess
 * @param maxBatch            the most images one /digits_batch request may hold
 * @param maxImageBytes       the most bytes an uploaded PNG or JPEG may have
 * @param maxImagePixels      the most pixels (width × height) an uploaded image's header may declare
 * @param maxConcurrent       the most digit inferences running at once; beyond it a request waits (queue-wait)
 * @param queueWait           how long a request waits for a free inference before a 503 server_busy
 */
@ConfigurationProperties("bulwark.digits")
public record DigitsProperties(@DefaultValue("model-registry/digits") Path registry, String variant,
                               Double confidenceThreshold, Integer maxBatch, Integer maxImageBytes,
                               Long maxImagePixels, Integer maxConcurrent, java.time.Duration queueWait) {

    public DigitsProperties {
        variant = variant == null || variant.isBlank() ? DigitService.Settings.DEFAULT_VARIANT.wire() : variant;
        confidenceThreshold = confidenceThreshold != null ? confidenceThreshold
                : DigitService.Settings.DEFAULT_CONFIDENCE_THRESHOLD;
        maxBatch = maxBatch != null ? maxBatch : DigitService.Settings.DEFAULT_MAX_BATCH;
        maxImageBytes = maxImageBytes != null ? maxImageBytes : ImageLimits.DEFAULT_MAX_BYTES;
        maxImagePixels = maxImagePixels != null ? maxImagePixels : ImageLimits.DEFAULT_MAX_PIXELS;
        maxConcurrent = maxConcurrent != null ? maxConcurrent : DigitService.Settings.DEFAULT_MAX_CONCURRENT;
        queueWait = queueWait != null ? queueWait : DigitService.Settings.DEFAULT_QUEUE_WAIT;
    }
}
