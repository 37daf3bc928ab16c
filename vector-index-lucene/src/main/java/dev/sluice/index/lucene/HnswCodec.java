package dev.sluice.index.lucene;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * The default Lucene 10.3 codec with the HNSW graph parameters of the vector field pinned.
 *
 * <p>Subclassing the default codec (rather than a named {@code FilterCodec}) keeps the codec name
 * "Lucene103" in the segments, and the per-field format records only its SPI name: a reader in
 * another process opens the index with the stock codec, no service registration needed. The graph
 * parameters matter only when writing.
 */
final class HnswCodec extends Lucene103Codec {

  /** Neighbours per node: Lucene's default, good recall at 384 dimensions. */
  static final int MAX_CONN = 16;

  /** Candidates kept while building the graph: higher means better recall, slower indexing. */
  static final int BEAM_WIDTH = 100;

  private final KnnVectorsFormat vectors = new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH);

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    return PointFields.VECTOR.equals(field) ? vectors : super.getKnnVectorsFormatForField(field);
  }
}
