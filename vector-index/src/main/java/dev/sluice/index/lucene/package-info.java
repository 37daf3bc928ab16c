/**
 * The embedded Lucene adapter of the {@code dev.sluice.index} contracts: {@link
 * dev.sluice.index.lucene.LuceneVectorIndex} (HNSW vectors + BM25 text in one directory) and {@link
 * dev.sluice.index.lucene.LuceneDocumentRegistry}. Each opens either writable (one process, owns
 * the IndexWriter lock, near-real-time search) or read-only (any number of processes, sees commits).
 */
package dev.sluice.index.lucene;
