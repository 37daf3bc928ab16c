package dev.sluice.index.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.CollectionSpec;
import dev.sluice.index.CollectionSpec.Metric;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.FieldType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CollectionRequestsTest {

  private static final CollectionSpec SPEC = new CollectionSpec("minilm-v1", "all-minilm-l6-v2@1a2b3c4d", 384, Metric.COSINE);

  @Test
  void aCollectionHasADenseNamedVectorWithHnswM16AndEf64() {
    CreateCollection create = CollectionRequests.create(SPEC, QdrantOptions.DEFAULTS);

    assertThat(create.getCollectionName()).isEqualTo("minilm-v1");
    VectorParams dense = create.getVectorsConfig().getParamsMap().getMapMap().get("dense");
    assertThat(dense.getSize()).isEqualTo(384);
    assertThat(dense.getDistance()).isEqualTo(Distance.Cosine);
    assertThat(dense.getHnswConfig().getM()).isEqualTo(16);
    assertThat(dense.getHnswConfig().getEfConstruct()).isEqualTo(64);
    assertThat(create.getHnswConfig().getM()).isEqualTo(16);
    assertThat(create.getHnswConfig().getEfConstruct()).isEqualTo(64);
    assertThat(create.getHnswConfig().getPayloadM()).isEqualTo(16);
    assertThat(create.hasQuantizationConfig()).isFalse();
  }

  @Test
  void theKeywordVectorIsSparseWithQdrantsIdfModifier() {
    CreateCollection create = CollectionRequests.create(SPEC, QdrantOptions.DEFAULTS);

    assertThat(create.getSparseVectorsConfig().getMapMap()).containsOnlyKeys("keyword");
    assertThat(create.getSparseVectorsConfig().getMapMap().get("keyword").getModifier()).isEqualTo(Modifier.Idf);
  }

  @Test
  void theModelIsRecordedInTheCollectionMetadata() {
    CreateCollection create = CollectionRequests.create(SPEC, QdrantOptions.DEFAULTS);

    assertThat(create.getMetadataMap().get("sluice.modelId").getStringValue()).isEqualTo("all-minilm-l6-v2@1a2b3c4d");
    assertThat(create.getMetadataMap().get("sluice.dimension").getIntegerValue()).isEqualTo(384);
    assertThat(create.getMetadataMap().get("sluice.metric").getStringValue()).isEqualTo("COSINE");
  }

  @Test
  void int8ScalarQuantisationIsOptional() {
    CreateCollection create = CollectionRequests.create(SPEC, QdrantOptions.DEFAULTS.withInt8Quantization(true));

    assertThat(create.getQuantizationConfig().getScalar().getType()).isEqualTo(QuantizationType.Int8);
    assertThat(create.getQuantizationConfig().getScalar().getAlwaysRam()).isTrue();
  }

  @Test
  void otherMetricsMapToQdrantDistances() {
    assertThat(CollectionRequests.distance(Metric.DOT)).isEqualTo(Distance.Dot);
    assertThat(CollectionRequests.distance(Metric.EUCLID)).isEqualTo(Distance.Euclid);
  }

  @Test
  void everyFilteredFieldIsIndexedAndTheTenantIsTheTenantKey() {
    List<CreateFieldIndexCollection> indexes = CollectionRequests.payloadIndexes("minilm-v1");
    Map<String, CreateFieldIndexCollection> byField =
        indexes.stream().collect(Collectors.toMap(CreateFieldIndexCollection::getFieldName, i -> i));

    assertThat(byField).containsKeys("tenant", "docId", "deleted", "contentType", "language", "tags", "eventTime",
        "deletedAt", "docVersion", "aclGroups", "aclPublic", "source", "metaPairs");
    assertThat(indexes).allSatisfy(i -> {
      assertThat(i.getCollectionName()).isEqualTo("minilm-v1");
      assertThat(i.getWait()).isTrue();
    });
    assertThat(byField.get("tenant").getFieldType()).isEqualTo(FieldType.FieldTypeKeyword);
    assertThat(byField.get("tenant").getFieldIndexParams().getKeywordIndexParams().getIsTenant()).isTrue();
    assertThat(byField.get("docId").getFieldIndexParams().getKeywordIndexParams().getIsTenant()).isFalse();
    assertThat(byField.get("deleted").getFieldType()).isEqualTo(FieldType.FieldTypeBool);
    assertThat(byField.get("docVersion").getFieldType()).isEqualTo(FieldType.FieldTypeInteger);
    assertThat(byField.get("docVersion").getFieldIndexParams().getIntegerIndexParams().getRange()).isTrue();
    assertThat(byField.get("eventTime").getFieldType()).isEqualTo(FieldType.FieldTypeInteger);
  }

  @Test
  void movingAnAliasIsOneRequestThatDeletesThenCreates() {
    List<AliasOperations> move = CollectionRequests.pointAlias("live", "bge-v1", Optional.of("minilm-v1"));

    assertThat(move).hasSize(2);
    assertThat(move.get(0).getDeleteAlias().getAliasName()).isEqualTo("live");
    assertThat(move.get(1).getCreateAlias().getAliasName()).isEqualTo("live");
    assertThat(move.get(1).getCreateAlias().getCollectionName()).isEqualTo("bge-v1");
    assertThat(CollectionRequests.pointAlias("live", "bge-v1", Optional.empty()))
        .singleElement().satisfies(op -> assertThat(op.hasCreateAlias()).isTrue());
  }

  @Test
  void theSpecReadsBackFromTheCollectionInfo() {
    CreateCollection create = CollectionRequests.create(SPEC, QdrantOptions.DEFAULTS);
    CollectionInfo info = CollectionInfo.newBuilder().setConfig(CollectionConfig.newBuilder()
        .setParams(CollectionParams.newBuilder().setVectorsConfig(create.getVectorsConfig()))
        .putAllMetadata(create.getMetadataMap())).build();

    assertThat(CollectionRequests.spec("minilm-v1", info)).contains(SPEC);
    assertThat(CollectionRequests.spec("foreign", CollectionInfo.getDefaultInstance())).isEmpty();
  }

  @Test
  void stagingAndThePurgeCutoffAreIndexed() {
    Map<String, CreateFieldIndexCollection> byField = CollectionRequests.payloadIndexes("minilm-v1").stream()
        .collect(Collectors.toMap(CreateFieldIndexCollection::getFieldName, i -> i));

    assertThat(byField.get("staged").getFieldType()).isEqualTo(FieldType.FieldTypeBool);
    assertThat(byField.get("staged").getFieldIndexParams().hasBoolIndexParams()).isTrue();
    assertThat(byField.get("indexedAt").getFieldType()).isEqualTo(FieldType.FieldTypeInteger);
    assertThat(byField.get("indexedAt").getFieldIndexParams().getIntegerIndexParams().getRange()).isTrue();
  }

  @Test
  void collectionsAreCreatedWithTheConfiguredShardingOneAndOneByDefault() {
    CreateCollection byDefault = CollectionRequests.create(SPEC, QdrantOptions.DEFAULTS);
    CreateCollection sharded = CollectionRequests.create(SPEC, QdrantOptions.DEFAULTS.withSharding(6, 2));

    assertThat(byDefault.getShardNumber()).isEqualTo(1);
    assertThat(byDefault.getReplicationFactor()).isEqualTo(1);
    assertThat(sharded.getShardNumber()).isEqualTo(6);
    assertThat(sharded.getReplicationFactor()).isEqualTo(2);
  }

  @Test
  void theRegistryCollectionHasNoVectorTheSameShardingAndKeywordIndexesOnTenantAndState() {
    CreateCollection registry = CollectionRequests.createRegistry("sluice-documents", QdrantOptions.DEFAULTS.withSharding(3, 2));

    assertThat(registry.getCollectionName()).isEqualTo("sluice-documents");
    assertThat(registry.hasVectorsConfig()).isFalse();
    assertThat(registry.hasSparseVectorsConfig()).isFalse();
    assertThat(registry.getShardNumber()).isEqualTo(3);
    assertThat(registry.getReplicationFactor()).isEqualTo(2);
    assertThat(CollectionRequests.registryIndexes("sluice-documents")).allSatisfy(i -> {
      assertThat(i.getCollectionName()).isEqualTo("sluice-documents");
      assertThat(i.getFieldType()).isEqualTo(FieldType.FieldTypeKeyword);
      assertThat(i.getWait()).isTrue();
      assertThat(i.getFieldIndexParams().getKeywordIndexParams().getIsTenant()).isFalse();
    }).extracting(CreateFieldIndexCollection::getFieldName).containsExactly("tenant", "state");
  }
}
