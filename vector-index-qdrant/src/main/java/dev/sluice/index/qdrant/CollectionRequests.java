package dev.sluice.index.qdrant;

import static io.qdrant.client.ValueFactory.value;

import dev.sluice.index.CollectionSpec;
import dev.sluice.index.CollectionSpec.Metric;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.BoolIndexParams;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.IntegerIndexParams;
import io.qdrant.client.grpc.Collections.KeywordIndexParams;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.PayloadIndexParams;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the collection-level requests: bootstrap, payload indexes, aliases; reads a spec back. */
final class CollectionRequests {

  /** The named dense vector (the model's embedding). */
  static final String DENSE = "dense";

  /** The named sparse vector (BM25 keyword weights, see {@link KeywordVectors}). */
  static final String KEYWORD = "keyword";

  // Collection metadata keys: the collection's identity, readable by any client.
  static final String MODEL_KEY = "sluice.modelId";
  static final String DIMENSION_KEY = "sluice.dimension";
  static final String METRIC_KEY = "sluice.metric";

  /**
   * A payload index: field and type.
   *
   * @param tenantKey index it with {@code is_tenant}, so Qdrant co-locates each value's points
   */
  record PayloadIndex(String field, FieldType type, boolean tenantKey) {
    PayloadIndex(String field, FieldType type) {
      this(field, type, false);
    }
  }

  /**
   * The fields every filter or guard uses. {@code tenant} is indexed with {@code is_tenant}, so
   * Qdrant co-locates each tenant's points and plans tenant-scoped searches with per-tenant graphs.
   */
  static final List<PayloadIndex> PAYLOAD_INDEXES = List.of(
      new PayloadIndex(Payloads.TENANT, FieldType.FieldTypeKeyword, true),
      new PayloadIndex(Payloads.DOC_ID, FieldType.FieldTypeKeyword),
      new PayloadIndex(Payloads.DELETED, FieldType.FieldTypeBool),
      new PayloadIndex(Payloads.DELETED_AT, FieldType.FieldTypeInteger),
      // Every search and count excludes staged points; the purge removes old ones by indexedAt.
      new PayloadIndex(Payloads.STAGED, FieldType.FieldTypeBool),
      new PayloadIndex(Payloads.INDEXED_AT, FieldType.FieldTypeInteger),
      new PayloadIndex(Payloads.DOC_VERSION, FieldType.FieldTypeInteger),
      new PayloadIndex(Payloads.CONTENT_TYPE, FieldType.FieldTypeKeyword),
      new PayloadIndex(Payloads.LANGUAGE, FieldType.FieldTypeKeyword),
      new PayloadIndex(Payloads.TAGS, FieldType.FieldTypeKeyword),
      new PayloadIndex(Payloads.SOURCE, FieldType.FieldTypeKeyword),
      new PayloadIndex(Payloads.META_PAIRS, FieldType.FieldTypeKeyword),
      new PayloadIndex(Payloads.ACL_GROUPS, FieldType.FieldTypeKeyword),
      new PayloadIndex(Payloads.FLAGS, FieldType.FieldTypeKeyword),
      new PayloadIndex(Payloads.ACL_PUBLIC, FieldType.FieldTypeBool),
      // The "updated" filters (updatedAfter/updatedBefore) compare eventTime.
      new PayloadIndex(Payloads.EVENT_TIME, FieldType.FieldTypeInteger));

  /**
   * The document registry's payload indexes, for filtering by tenant and counting by state. Not a
   * tenant key: the registry is read by point id and counted across tenants.
   */
  static final List<PayloadIndex> REGISTRY_INDEXES = List.of(
      new PayloadIndex(StatusPayloads.TENANT, FieldType.FieldTypeKeyword),
      new PayloadIndex(StatusPayloads.STATE, FieldType.FieldTypeKeyword));

  private CollectionRequests() {}

  /** A collection for {@code spec}: a dense named vector, a sparse keyword vector with IDF, HNSW m/ef. */
  static CreateCollection create(CollectionSpec spec, QdrantOptions options) {
    HnswConfigDiff hnsw = HnswConfigDiff.newBuilder()
        .setM(options.hnswM())
        .setEfConstruct(options.efConstruct())
        // Per-tenant graph links, since every search filters by tenant.
        .setPayloadM(options.hnswM())
        .build();
    VectorParams dense = VectorParams.newBuilder()
        .setSize(spec.dimension())
        .setDistance(distance(spec.metric()))
        .setHnswConfig(hnsw)
        .build();
    CreateCollection.Builder create = CreateCollection.newBuilder()
        .setCollectionName(spec.name())
        .setHnswConfig(hnsw)
        .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder().putMap(DENSE, dense)))
        .setSparseVectorsConfig(SparseVectorConfig.newBuilder()
            .putMap(KEYWORD, SparseVectorParams.newBuilder().setModifier(Modifier.Idf).build()))
        .setShardNumber(options.shardNumber())
        .setReplicationFactor(options.replicationFactor())
        .putAllMetadata(metadata(spec));
    if (options.int8Quantization()) {
      create.setQuantizationConfig(QuantizationConfig.newBuilder().setScalar(ScalarQuantization.newBuilder()
          .setType(QuantizationType.Int8).setQuantile(0.99f).setAlwaysRam(true)));
    }
    return create.build();
  }

  /**
   * The document registry's collection: payload only, no vector at all (Qdrant accepts a collection
   * created without a vectors config, and points upserted with an empty map of named vectors), with
   * the sharding of the points collection.
   */
  static CreateCollection createRegistry(String name, QdrantOptions options) {
    return CreateCollection.newBuilder()
        .setCollectionName(name)
        .setShardNumber(options.shardNumber())
        .setReplicationFactor(options.replicationFactor())
        .build();
  }

  /** One request per payload index of {@link #PAYLOAD_INDEXES}. */
  static List<CreateFieldIndexCollection> payloadIndexes(String collection) {
    return indexRequests(collection, PAYLOAD_INDEXES);
  }

  /** One request per payload index of {@link #REGISTRY_INDEXES}. */
  static List<CreateFieldIndexCollection> registryIndexes(String collection) {
    return indexRequests(collection, REGISTRY_INDEXES);
  }

  private static List<CreateFieldIndexCollection> indexRequests(String collection, List<PayloadIndex> indexes) {
    List<CreateFieldIndexCollection> requests = new ArrayList<>();
    for (PayloadIndex index : indexes) {
      CreateFieldIndexCollection.Builder request = CreateFieldIndexCollection.newBuilder()
          .setCollectionName(collection).setFieldName(index.field()).setFieldType(index.type()).setWait(true);
      if (index.tenantKey()) {
        request.setFieldIndexParams(PayloadIndexParams.newBuilder()
            .setKeywordIndexParams(KeywordIndexParams.newBuilder().setIsTenant(true)));
      } else if (index.type() == FieldType.FieldTypeInteger) {
        request.setFieldIndexParams(PayloadIndexParams.newBuilder()
            .setIntegerIndexParams(IntegerIndexParams.newBuilder().setLookup(true).setRange(true)));
      } else if (index.type() == FieldType.FieldTypeBool) {
        request.setFieldIndexParams(PayloadIndexParams.newBuilder().setBoolIndexParams(BoolIndexParams.getDefaultInstance()));
      }
      requests.add(request.build());
    }
    return requests;
  }

  /**
   * The alias operations that point {@code alias} at {@code collection} in one atomic request:
   * delete then create when it pointed elsewhere, create when it did not exist.
   */
  static List<AliasOperations> pointAlias(String alias, String collection, Optional<String> current) {
    List<AliasOperations> operations = new ArrayList<>();
    if (current.isPresent()) {
      operations.add(AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder().setAliasName(alias)).build());
    }
    operations.add(AliasOperations.newBuilder()
        .setCreateAlias(CreateAlias.newBuilder().setAliasName(alias).setCollectionName(collection)).build());
    return operations;
  }

  /** The spec recorded in a collection's metadata, if Sluice created it. */
  static Optional<CollectionSpec> spec(String name, CollectionInfo info) {
    Map<String, Value> metadata = info.getConfig().getMetadataMap();
    Value model = metadata.get(MODEL_KEY);
    VectorParams dense = info.getConfig().getParams().getVectorsConfig().getParamsMap().getMapMap().get(DENSE);
    if (model == null || dense == null) {
      return Optional.empty();
    }
    return Optional.of(new CollectionSpec(name, model.getStringValue(), (int) dense.getSize(), metric(dense.getDistance())));
  }

  static Map<String, Value> metadata(CollectionSpec spec) {
    return Map.of(MODEL_KEY, value(spec.modelId()), DIMENSION_KEY, value(spec.dimension()),
        METRIC_KEY, value(spec.metric().name()));
  }

  static Distance distance(Metric metric) {
    return switch (metric) {
      case COSINE -> Distance.Cosine;
      case DOT -> Distance.Dot;
      case EUCLID -> Distance.Euclid;
    };
  }

  private static Metric metric(Distance distance) {
    return switch (distance) {
      case Dot -> Metric.DOT;
      case Euclid -> Metric.EUCLID;
      default -> Metric.COSINE;
    };
  }
}
