/**
 * The production Qdrant adapter of the {@code dev.sluice.index} contracts, over Qdrant's official
 * gRPC client. Services enter through {@link dev.sluice.index.qdrant.QdrantStore}, which connects
 * (failing fast, naming the URL, when the server does not answer) and hands out {@link
 * dev.sluice.index.qdrant.QdrantVectorIndex} (a named dense vector, a sparse BM25 keyword vector
 * computed in Sluice with Qdrant's IDF modifier, hybrid search by prefetch and RRF fusion,
 * version- and staging-guarded upserts as Qdrant conditional updates, publish as one batch
 * request), {@link dev.sluice.index.qdrant.QdrantDocumentRegistry} (document status as payload-only
 * points in {@code <collection>-documents}, shared by every instance) and {@link
 * dev.sluice.index.qdrant.QdrantCollections} (bootstrap with payload indexes, aliases for
 * blue/green). Requests are built by small factories ({@code CollectionRequests}, {@code
 * PointRequests}, {@code QueryRequests}, {@code QdrantFilters}, {@code Payloads}, {@code
 * StatusPayloads}) that the unit tests check without a server. Needs Qdrant 1.16 or later.
 */
package dev.sluice.index.qdrant;
