package dev.sluice.index;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Optional narrowing of a search (docs/contracts.md, "Query API"). Applied inside the adapter
 * together with the scope, so top-K is taken among matching points only, never post-filtered.
 *
 * <p>Within one set any value matches; across fields all must match; an empty set or map does not
 * constrain.
 *
 * @param docIds points of these documents
 * @param sources points whose {@code source} is one of these
 * @param contentTypes points whose {@code contentType} is one of these
 * @param languages points whose {@code language} is one of these
 * @param tags points tagged with one of these: tags are the comma-separated values of the {@code
 *     tags} metadata key
 * @param metadata points whose metadata holds every one of these key/value pairs exactly
 * @param updatedAfter points whose {@code eventTime} is strictly after this instant
 * @param updatedBefore points whose {@code eventTime} is strictly before this instant
 * @param flags points flagged with one of these (see {@link PointPayload#flags})
 * @param excludeFlags points flagged with none of these, e.g. {@value PointPayload#PROMPT_INJECTION}
 *     to keep chunks that read as instructions to a model out of a RAG prompt
 */
public record SearchFilters(
    Set<String> docIds,
    Set<String> sources,
    Set<String> contentTypes,
    Set<String> languages,
    Set<String> tags,
    Map<String, String> metadata,
    Optional<Instant> updatedAfter,
    Optional<Instant> updatedBefore,
    Set<String> flags,
    Set<String> excludeFlags) {

  /** The metadata key whose comma-separated value lists a point's tags. */
  public static final String TAGS_KEY = "tags";

  /** No narrowing. */
  public static final SearchFilters NONE =
      new SearchFilters(
          Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Map.of(), Optional.empty(), Optional.empty(), Set.of(), Set.of());

  public SearchFilters {
    docIds = Set.copyOf(docIds);
    sources = Set.copyOf(sources);
    contentTypes = Set.copyOf(contentTypes);
    languages = Set.copyOf(languages);
    tags = Set.copyOf(tags);
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(updatedAfter, "updatedAfter");
    Objects.requireNonNull(updatedBefore, "updatedBefore");
    flags = Set.copyOf(flags);
    excludeFlags = Set.copyOf(excludeFlags);
  }

  /** The filters of the first eight fields, flagged or not. */
  public SearchFilters(Set<String> docIds, Set<String> sources, Set<String> contentTypes, Set<String> languages,
      Set<String> tags, Map<String, String> metadata, Optional<Instant> updatedAfter, Optional<Instant> updatedBefore) {
    this(docIds, sources, contentTypes, languages, tags, metadata, updatedAfter, updatedBefore, Set.of(), Set.of());
  }
}
