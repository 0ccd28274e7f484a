package io.bulwark.models.input;

import io.bulwark.resilience.failure.RequestRejected;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * XML rows with a StAX pull parser (DTDs and external entities refused). A row is an element whose child
 * elements (or attributes) are its fields, e.g. {@code <row><name>value</name>...</row>} or {@code <row name="value"/>};
 * a batch is any root element holding row elements, e.g. {@code <rows><row>...</row>...</rows>}.
 */
final class XmlRowReader implements RowReader {

    private static final XMLInputFactory FACTORY = factory();
    /** The JDK parser names a namespace error by a link into the namespaces spec, e.g. {@code ...#AttributeNotUnique?a&b}. */
    private static final Pattern NAMESPACE_ERROR = Pattern.compile("https?://www\\.w3\\.org/TR/[^#]*#(\\w+).*");

    private final XMLStreamReader xml;
    private final boolean many;
    private int index;
    private boolean done;

    XmlRowReader(byte[] body, boolean many) {
        this(new ByteArrayInputStream(body), many);
    }

    XmlRowReader(java.io.InputStream body, boolean many) {
        this.many = many;
        try {
            xml = FACTORY.createXMLStreamReader(body);
            nextElement(); // the root
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
        if (!xml.isStartElement()) {
            throw new RequestRejected("malformed_xml", "body", "the XML body has no root element");
        }
    }

    @Override
    public Row next() {
        if (done) {
            return null;
        }
        try {
            if (!many) {
                done = true;
                Row row = row();
                rest();
                return row;
            }
            if (nextElement() != XMLStreamConstants.START_ELEMENT) {
                done = true;
                rest();
                return null;
            }
            return row();
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (RuntimeException e) {
            // Woodstox reports some errors late, from getText(), wrapped in an unchecked exception
            // (WstxLazyException: e.g. a character reference to NUL): still a malformed body, not a bug.
            if (e.getCause() instanceof XMLStreamException cause) {
                throw malformed(cause);
            }
            throw e;
        }
    }

    /**
     * Reads the element the reader is on as a row, leaving the reader on its end tag. A field holding elements
     * rather than text makes the row an error, not the body: the rest is still readable.
     */
    private Row row() throws XMLStreamException {
        int i = index++;
        Map<String, String> fields = new HashMap<>();
        for (int a = 0; a < xml.getAttributeCount(); a++) {
            fields.put(xml.getAttributeLocalName(a), xml.getAttributeValue(a));
        }
        String nested = null;
        while (nextElement() == XMLStreamConstants.START_ELEMENT) {
            String name = xml.getLocalName();
            String text = text();
            if (text == null) {
                nested = nested == null ? name : nested;
            } else {
                fields.put(name, text);
            }
        }
        if (nested != null) {
            return new Row(i, null, new RequestRejected("invalid_type", nested, "\"" + nested
                    + "\" must be text, not elements" + (many ? " (row " + i + ")" : "")));
        }
        return new Row(i, fields, null);
    }

    /**
     * Returns the text of the element the reader is on, leaving the reader on its end tag; null if it holds
     * elements (skipped to its end).
     */
    private String text() throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        boolean elements = false;
        while (true) {
            int e = xml.next();
            switch (e) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (depth == 0) {
                        text.append(xml.getText());
                    }
                }
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    elements = true;
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    if (depth-- == 0) {
                        return elements ? null : text.toString();
                    }
                }
                case XMLStreamConstants.DTD -> throw doctype();
                default -> {
                    // comments and processing instructions carry no value
                }
            }
        }
    }

    /**
     * Reads past the root element to the end: only comments, processing instructions and white space may follow it
     * (the parser refuses anything else), as a JSON body may hold nothing after its value.
     */
    private void rest() throws XMLStreamException {
        while (xml.hasNext()) {
            xml.next();
        }
    }

    /** Moves to the next start or end tag, skipping text, comments and processing instructions. */
    private int nextElement() throws XMLStreamException {
        while (xml.hasNext()) {
            int e = xml.next();
            if (e == XMLStreamConstants.START_ELEMENT || e == XMLStreamConstants.END_ELEMENT) {
                return e;
            }
            if (e == XMLStreamConstants.DTD) {
                throw doctype();
            }
        }
        return XMLStreamConstants.END_DOCUMENT;
    }

    /**
     * A DOCTYPE is refused outright: its entities are never expanded (no XXE, no entity bombs), so a body using
     * them would otherwise fail later with a confusing "entity was referenced, but not declared".
     */
    private static RequestRejected doctype() {
        return new RequestRejected("malformed_xml", "body",
                "the XML body has a DOCTYPE: DTDs and entity declarations are not accepted");
    }

    /** StAX's message without its own frame ("ParseError at [row,col]:[1,12] Message: "), plus line and column. */
    private static RequestRejected malformed(XMLStreamException e) {
        String what = e.getMessage() == null ? "unreadable" : e.getMessage().replaceAll("\\s+", " ");
        what = what.replaceFirst("^ParseError at \\[row,col\\]:\\[-?\\d+,-?\\d+\\] ?(Message: ?)?", "");
        Matcher ns = NAMESPACE_ERROR.matcher(what);
        if (ns.matches()) {
            what = switch (ns.group(1)) {
                case "AttributeNotUnique", "AttributeNSNotUnique" -> "an attribute is given twice";
                case "ElementPrefixUnbound", "AttributePrefixUnbound" -> "a namespace prefix is not declared";
                default -> "the namespaces are not well-formed";
            };
        }
        what = what.replace("elment", "element").strip();
        if (what.isEmpty()) {
            what = "unreadable";
        }
        Location l = e.getLocation();
        if (l != null && l.getLineNumber() > 0) {
            what += " (line " + l.getLineNumber() + ", column " + l.getColumnNumber() + ")";
        }
        return new RequestRejected("malformed_xml", "body", "the request body is not valid XML: " + what);
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }

    @Override
    public void close() {
        try {
            xml.close();
        } catch (XMLStreamException ignored) {
            // nothing to release beyond the parser's own buffers
        }
    }
}
