package io.bulwark.models.digits;

import io.bulwark.models.Answer;
import io.bulwark.models.ModelType;
import io.bulwark.models.inference.InferenceModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The digit recogniser as the Open Inference Protocol serves it: the same {@link DigitService} as {@code /digits}
 * (the configured variant, the bulkhead, the fallbacks int8 → fp32 → {@code uncertain}); labels {@code "0"} …
 * {@code "9"}; nothing is cached.
 */
final class DigitInferenceModel implements InferenceModel<DigitImage> {

    private static final List<String> LABELS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final DigitService service;

    DigitInferenceModel(DigitService service) {
        this.service = service;
    }

    @Override
    public ModelType<DigitImage> type() {
        return service.type();
    }

    @Override
    public String platform() {
        return "onnxruntime";
    }

    @Override
    public List<String> versions() {
        return service.versions();
    }

    @Override
    public Selected select(String version) {
        return new Selected(service.resolve(version), null, null);
    }

    @Override
    public List<String> labels(Selected selected) {
        return LABELS;
    }

    @Override
    public List<Predicted> predict(Selected selected, List<DigitImage> inputs) {
        DigitService.Answers answers = service.recognise(inputs, selected.version(), null);
        List<Predicted> out = new ArrayList<>(inputs.size());
        for (DigitService.Answer a : answers.answers()) {
            out.add(new Predicted(a.toAnswer(), false));
        }
        return out;
    }
}
