package io.bulwark.costing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.Locale;
import java.util.Objects;

/**
 * Counts tokens with OpenAI's tokenizers (jtokkit), for calls whose provider reports no usage. Models of the
 * gpt-4o / gpt-4.1 / o-series families use {@code o200k_base}; every other model (gpt-4, gpt-3.5-turbo, and
 * non-OpenAI models, for which this is an estimate) {@code cl100k_base}. Thread-safe.
 */
public final class TokenEstimator {

    /**
     * Tokens a chat completion adds around each message (role and separators) and to prime the reply, as
     * OpenAI's cookbook counts them for current chat models.
     */
    public static final int TOKENS_PER_MESSAGE = 3;
    public static final int REPLY_PRIMING = 3;

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private final Encoding encoding;

    private TokenEstimator(Encoding encoding) {
        this.encoding = encoding;
    }

    /** Returns the estimator of {@code model}'s tokenizer. */
    public static TokenEstimator forModel(String model) {
        String m = Objects.requireNonNull(model, "model").toLowerCase(Locale.ROOT);
        boolean o200k = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-5")
                || m.matches("o\\d.*");
        return new TokenEstimator(REGISTRY.getEncoding(o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE));
    }

    /** Returns the number of tokens of {@code text}. */
    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokens(text);
    }

    /** Returns the input tokens of a chat request made of the given messages. */
    public int chatInput(String... messages) {
        int total = REPLY_PRIMING;
        for (String m : messages) {
            total += TOKENS_PER_MESSAGE + count(m);
        }
        return total;
    }

    /** Returns the name of the tokenizer, e.g. {@code o200k_base}. */
    public String encodingName() {
        return encoding.getName();
    }
}
