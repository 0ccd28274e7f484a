/**
 * The local sentiment model: a hashed unigram + bigram logistic regression with negation scope
 * marking, trained at start-up on the bundled UCI Sentiment Labelled Sentences (yelp + imdb) and
 * evaluated on the held-out amazon sentences. Plain Java, no framework, immutable once trained.
 */
package io.bulwark.sentiment.local;
