/**
 * The production Qdrant adapter of the {@code dev.sluice.index} contracts, over Qdrant's official
 * gRPC client: {@link dev.sluice.index.qdrant.QdrantVectorIndex} (a named dense vector, a sparse BM25
 * keyword vector computed in Sluice with Qdrant's IDF modifier, hybrid search by prefetch and RRF
 * fusion, version-guarded upserts as Qdrant conditional updates) and {@link
 * dev.sluice.index.qdrant.QdrantCollections} (bootstrap with payload indexes, aliases for
 * blue/green). Requests are built by small factories ({@code CollectionRequests}, {@code
 * PointRequests}, {@code QueryRequests}, {@code QdrantFilters}) that the unit tests check without a
 * server. Needs Qdrant 1.16 or later.
 */
package dev.sluice.index.qdrant;
