package io.bulwark.sentiment.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the HTTP/1.x answers of one kept-alive connection, one after the other: the status line (skipping interim
 * 1xx answers), the headers, and a body of {@code Content-Length} bytes, in chunks, or up to the end of the
 * connection; it says whether the connection may carry another exchange. One reader per connection, used by one
 * exchange at a time (it keeps its line buffer). The OpenAI-compatible provider's socket transport and the chaos
 * command's load sender read with it.
 */
public final class Http1Reader {

    /** One answer: its status, headers (names case-insensitive), body, and whether the connection may be reused. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body, boolean reusable) {

        /** Returns the first value of header {@code name}, or {@code null}. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** Returns the body decoded with the {@code Content-Type}'s charset (UTF-8 when it names none or one unknown). */
        public String text() {
            return new String(body, charset(header("content-type")));
        }
    }

    private static final int MAX_LINE = 65_536;

    private final InputStream in;
    private byte[] line = new byte[256];
    private boolean answered;

    /** Reads from {@code in}, which should be buffered: lines are read a byte at a time. */
    public Http1Reader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the answer to a request of {@code method} (a {@code HEAD} answer has no body).
     *
     * @throws EOFException when the connection ends before an answer or inside one
     * @throws IOException  when the answer is not HTTP/1.x
     */
    public Answer read(String method) throws IOException {
        answered = false;
        String statusLine;
        int status;
        Map<String, List<String>> headers;
        do { // an interim 1xx answer is followed by the real one
            statusLine = line();
            answered = true;
            status = status(statusLine);
            headers = headers();
        } while (status >= 100 && status < 200);
        String connection = first(headers, "connection");
        boolean reusable = statusLine.startsWith("HTTP/1.0") ? "keep-alive".equalsIgnoreCase(connection)
                : !"close".equalsIgnoreCase(connection);
        byte[] body;
        String length = first(headers, "content-length");
        if (method.equals("HEAD") || status == 204 || status == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
            body = chunked();
        } else if (length != null) {
            int n = parseLength(length);
            body = in.readNBytes(n);
            if (body.length < n) {
                throw new EOFException("the answer ended after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = in.readAllBytes(); // delimited by the end of the connection
            reusable = false;
        }
        return new Answer(status, headers, body, reusable);
    }

    private static int status(String line) throws IOException {
        if (!line.startsWith("HTTP/1.") || line.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + abbreviate(line));
        }
        try {
            return Integer.parseInt(line, 9, 12, 10);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP/1.x status line: " + abbreviate(line));
        }
    }

    private Map<String, List<String>> headers() throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + abbreviate(l));
            }
            headers.computeIfAbsent(l.substring(0, colon).strip(), k -> new ArrayList<>(1))
                    .add(l.substring(colon + 1).strip());
        }
        return headers;
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size: " + abbreviate(size));
            }
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers: not used
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length < n) {
                throw new EOFException("the answer ended inside a chunk");
            }
            body.write(chunk);
            if (!line().isEmpty()) {
                throw new IOException("a chunk did not end with CRLF");
            }
        }
    }

    /** Reads one line ending in CRLF (or LF) as ISO-8859-1, without the line end. */
    private String line() throws IOException {
        byte[] buffer = line;
        int n = 0;
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException(n == 0 && !answered ? "the connection closed before an answer"
                        : "the connection closed inside a line");
            }
            if (n == buffer.length) {
                if (n >= MAX_LINE) {
                    throw new IOException("a header line longer than 64 KiB");
                }
                buffer = line = Arrays.copyOf(buffer, n * 2);
            }
            buffer[n++] = (byte) b;
        }
        if (n > 0 && buffer[n - 1] == '\r') {
            n--;
        }
        return new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static int parseLength(String value) throws IOException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) {
                throw new NumberFormatException(value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length: " + abbreviate(value));
        }
    }

    private static Charset charset(String contentType) {
        if (contentType != null) {
            int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (at >= 0) {
                String name = contentType.substring(at + 8).split(";", 2)[0].strip().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (RuntimeException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
