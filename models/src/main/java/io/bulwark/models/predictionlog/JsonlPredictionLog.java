package io.bulwark.models.predictionlog;

import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;

/** A JSON Lines log: one JSON object per line. */
final class JsonlPredictionLog implements PredictionLog {

    private final AppendOnlyFile file;
    private final JsonMapper json;

    JsonlPredictionLog(Path path, boolean sync, JsonMapper json) {
        this.file = new AppendOnlyFile(path, sync);
        this.json = json;
    }

    @Override
    public void append(PredictionRecord record) {
        byte[] body = json.writeValueAsBytes(record); // Jackson escapes newlines inside strings
        byte[] line = new byte[body.length + 1];
        System.arraycopy(body, 0, line, 0, body.length);
        line[body.length] = '\n';
        file.append(line);
    }

    @Override
    public void close() {
        file.close();
    }
}
