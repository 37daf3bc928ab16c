package dev.sluice.index.lucene;

/** Lucene field names of a point document, shared by the mapping and the queries. */
final class PointFields {

  /** The point id: the update term. */
  static final String ID = "id";

  static final String VECTOR = "vector";

  /**
   * The chunk text of points written before {@link #CHUNK_TEXT} existed: stored, and indexed under
   * {@link KeywordAnalysis#legacy()}, where keyword search still matches them. Points written since
   * do not have it: Lucene keeps one index schema per field, so the field cannot turn stored-only.
   */
  static final String TEXT = "text";

  /** The chunk text: stored, and indexed under {@link KeywordAnalysis#english()} for BM25. */
  static final String CHUNK_TEXT = "chunkText";

  /** Indexed only: the document's title under {@link KeywordAnalysis#english()}, on each of its chunks. */
  static final String TITLE_TERMS = "titleTerms";

  static final String TENANT = "tenant";
  static final String DOC_ID = "docId";
  static final String CHUNK_ID = "chunkId";
  static final String ORDINAL = "ordinal";
  static final String CONTENT_HASH = "contentHash";
  static final String DOC_VERSION = "docVersion";
  static final String SOURCE = "source";
  static final String TITLE = "title";
  static final String SECTION = "section";
  static final String CONTENT_TYPE = "contentType";
  static final String LANGUAGE = "language";

  /** Multi-valued "key{@value #META_SEPARATOR}value": one field for all keys, no field explosion. */
  static final String METADATA = "metadata";

  static final char META_SEPARATOR = '\u001f';

  /** Indexed only: the values of the {@code tags} metadata key, for tag filters. */
  static final String TAG = "tag";

  static final String ACL_GROUPS = "aclGroups";

  /** Multi-valued: the chunk's flags, e.g. prompt-injection. */
  static final String FLAG = "flag";

  /**
   * Indexed only, on points without ACL groups. A separate field rather than a reserved group name,
   * so that no real group name can collide with "visible to the whole tenant".
   */
  static final String ACL_PUBLIC = "aclPublic";

  static final String MODEL_ID = "modelId";
  static final String EVENT_TIME = "eventTime";
  static final String INDEXED_AT = "indexedAt";
  static final String DELETED = "deleted";
  static final String DELETED_AT = "deletedAt";

  /**
   * "true" on a point written for a version not yet published. Indexes written before staging
   * existed have no such field: their points read as not staged, and visibility excludes
   * {@code staged:true} rather than requiring {@code staged:false}, so they stay searchable.
   */
  static final String STAGED = "staged";

  static final String TRUE = "true";
  static final String FALSE = "false";

  private PointFields() {}
}
