package io.bulwark.models.input;

import io.bulwark.resilience.failure.RequestRejected;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * XML rows with a StAX pull parser (DTDs and external entities refused). A row is an element whose child
 * elements (or attributes) are its fields, e.g. {@code <row><name>value</name>...</row>} or {@code <row name="value"/>};
 * a batch is any root element holding row elements, e.g. {@code <rows><row>...</row>...</rows>}.
 */
final class XmlRowReader implements RowReader {

    private static final XMLInputFactory FACTORY = factory();

    private final XMLStreamReader xml;
    private final boolean many;
    private int index;
    private boolean done;

    XmlRowReader(byte[] body, boolean many) {
        this.many = many;
        try {
            xml = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
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
                return new Row(index++, row(), null);
            }
            if (nextElement() != XMLStreamConstants.START_ELEMENT) {
                done = true;
                return null;
            }
            return new Row(index++, row(), null);
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
    }

    /** Reads the element the reader is on as a row, leaving the reader on its end tag. */
    private Map<String, String> row() throws XMLStreamException {
        Map<String, String> fields = new HashMap<>();
        for (int a = 0; a < xml.getAttributeCount(); a++) {
            fields.put(xml.getAttributeLocalName(a), xml.getAttributeValue(a));
        }
        while (nextElement() == XMLStreamConstants.START_ELEMENT) {
            String name = xml.getLocalName();
            fields.put(name, xml.getElementText());
        }
        return fields;
    }

    /** Moves to the next start or end tag, skipping text, comments and processing instructions. */
    private int nextElement() throws XMLStreamException {
        while (xml.hasNext()) {
            int e = xml.next();
            if (e == XMLStreamConstants.START_ELEMENT || e == XMLStreamConstants.END_ELEMENT) {
                return e;
            }
        }
        return XMLStreamConstants.END_DOCUMENT;
    }

    private static RequestRejected malformed(XMLStreamException e) {
        String what = e.getMessage() == null ? "unreadable" : e.getMessage().replaceAll("\\s+", " ");
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
