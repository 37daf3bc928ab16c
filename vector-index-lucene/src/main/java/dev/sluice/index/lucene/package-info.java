/**
 * The embedded Lucene adapter of the {@code dev.sluice.index} contracts: {@link
 * dev.sluice.index.lucene.LuceneVectorIndex} (HNSW vectors + BM25 text, one directory per
 * collection), {@link dev.sluice.index.lucene.LuceneCollections} (collections and an atomically
 * swapped alias file) and {@link dev.sluice.index.lucene.LuceneDocumentRegistry}. Each index opens
 * either writable (one process, owns the IndexWriter lock, near-real-time search) or read-only (any
 * number of processes, sees commits). {@link dev.sluice.index.lucene.IndexLayout} says where
 * everything lives under an index root.
 */
package dev.sluice.index.lucene;
