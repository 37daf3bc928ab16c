package dev.sluice.ingest;

import java.util.Optional;

/**
 * One document to parse.
 *
 * @param content the document's bytes
 * @param fileName name hint for type detection (may be empty)
 * @param declaredType media type given by the publisher, a hint only
 */
record ParseRequest(byte[] content, String fileName, Optional<String> declaredType) {}
